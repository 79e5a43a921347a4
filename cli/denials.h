/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What `oci-landlock denials` gathers, shared by its parts: reading the
 * log (denials-read.c), placing each Landlock domain in its container
 * (denials-place.c), and the command itself (denials.c).
 */
#ifndef OL_CLI_DENIALS_H
#define OL_CLI_DENIALS_H

#include <stdbool.h>
#include <stddef.h>

#include "host/audit.h"
#include "host/container-record.h"

enum ol_place { OL_PLACE_NONE, OL_PLACE_RUNNING, OL_PLACE_EXITED };

struct ol_domain {
	char id[32];
	long pid;	   /* its creator, -1 when the "allocated" record is not read */
	long long born_ms; /* the time of that record, -1 when unknown */
	enum ol_place place;
	char container[OL_RECORD_ID + 1]; /* "" when unknown */
};

struct ol_denial {
	size_t domain; /* index in domains */
	struct ol_audit_record rec;
	long long first_ms, last_ms;
	unsigned count;
};

struct ol_denials {
	long long since_ms; /* -1: all */
	struct ol_domain *domains;
	size_t n_domains, cap_domains;
	struct ol_denial *denials;
	size_t n_denials, cap_denials;
	long suppressed; /* records printk dropped (kauditd_printk_skb) since since_ms */
	long lost;	 /* the largest audit_lost the log printed */
};

/* Read a log: the kernel's (/dev/kmsg) or a text file.  0 or -errno. */
int ol_denials_read(const char *path, bool kmsg, struct ol_denials *st);

/* Put a container (and whether it runs) on each domain.  -EPERM: the
 * record store may be written by others and was not used. */
int ol_denials_place(struct ol_denials *st);

/* The 64-hex id of the podman container `name`, from podman; false when
 * podman is missing or does not know it. */
bool ol_denials_podman_id(const char *name, char id[65]);

void ol_denials_free(struct ol_denials *st);

#endif
