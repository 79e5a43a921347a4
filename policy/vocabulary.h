/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vocabulary: every word a container or a command line can say, once.
 *
 * A word is an annotation key (oci.landlock.KEY), a launcher option
 * (--OPTION), or both: the host turns each annotation into the launcher
 * option of the same word, and the launcher parses it with the word's own
 * compiler.  The annotation reader, the launcher's option parser, the
 * "valid keys" hint and the launcher's usage text all read this table, so
 * the two sides cannot drift apart.
 */
#ifndef OL_POLICY_VOCABULARY_H
#define OL_POLICY_VOCABULARY_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "sandbox/abi.h"
#include "sandbox/ruleset.h"

/* The words, in the order the host writes their options. */
enum ol_word {
	OL_KEY_PROFILE,
	OL_KEY_POLICY,
	OL_KEY_POLICY_FILE,
	OL_KEY_FS_RO,
	OL_KEY_FS_RX,
	OL_KEY_FS_RW,
	OL_KEY_FS_RWX,
	OL_KEY_FS_UNIX,
	OL_KEY_NET_BIND,
	OL_KEY_NET_CONNECT,
	OL_KEY_NET_UDP_BIND,
	OL_KEY_NET_UDP_CONNECT,
	OL_KEY_SCOPE,
	OL_KEY_QUIET_FS,
	OL_KEY_QUIET_NET,
	OL_KEY_QUIET_SCOPE,
	OL_KEY_MODE,
	OL_KEY_LOG,
	OL_KEY_NET_SOCKET,
	OL_KEY_CONFIRM,
	OL_KEY_LEARN,
	OL_KEY_COUNT, /* the annotation keys end here; the launcher's own follow */
	OL_OPT_LAYER = OL_KEY_COUNT,
	OL_OPT_HOST_LAYER,
	OL_OPT_ERROR,
	OL_OPT_WARNING,
	OL_OPT_LEARN_EXEC,
	OL_OPT_HELP,
	OL_OPT_VERSION,
	OL_WORD_COUNT,
};

enum ol_word_kind {
	OL_WORD_RULES,	    /* rules for the annotations layer (the launcher's --fs/--net/--scope
			       layer; --policy is a layer of its own there) */
	OL_WORD_LAYER,	    /* a layer of its own: profile, policy-file */
	OL_WORD_SETTING,    /* applies to every layer: mode, log, net.socket, confirm */
	OL_WORD_STANDALONE, /* learn: nothing else may be said with it */
	OL_WORD_LAUNCHER,   /* an option of the launcher only */
};

/* Where a launcher option is listed in its usage text. */
enum ol_word_section {
	OL_SECTION_POLICY,
	OL_SECTION_SETTING,
	OL_SECTION_LEARNING,
	OL_SECTION_OTHER,
};

/* What a setting word sets: the same for every layer. */
struct ol_enforcement {
	enum ol_mode mode;
	uint32_t log_flags;
	uint32_t sockets; /* socket kinds, or OL_SOCKETS_UNFILTERED */
	bool confirm;	  /* say "sandbox applied" once it is (off by default) */
};

/* Strict, new-exec-on logging, no socket filter, no confirmation. */
void ol_enforcement_init(struct ol_enforcement *e);

struct ol_word_info {
	const char *key;    /* under oci.landlock., or NULL: the launcher's own */
	const char *option; /* the launcher's long option without "--", or NULL */
	enum ol_word_kind kind;
	bool paths; /* the value is a ':'-separated list of paths */
	/* OL_WORD_RULES: add the value's rules to a layer (param: the fs
	 * preset, or the network right). */
	int (*rules)(struct ol_ruleset *rs, unsigned param, const char *value,
		     struct ol_error *err);
	unsigned param;
	/* OL_WORD_SETTING: apply the value; a repeated socket list narrows. */
	int (*setting)(struct ol_enforcement *e, const char *value, struct ol_error *err);
	/* The launcher's usage text: the value's name ("PATHS"; NULL: the
	 * option takes none), the section, the lines that explain it. */
	const char *arg;
	enum ol_word_section section;
	const char *help;
};

extern const struct ol_word_info ol_words[OL_WORD_COUNT];

/* The word under oci.landlock. spelt key[0..len), or OL_WORD_COUNT. */
enum ol_word ol_word_by_key(const char *key, size_t len);

/* "profile, policy, ..., learn": the annotation keys, for a hint. */
void ol_words_keys(char *buf, size_t size);

#endif
