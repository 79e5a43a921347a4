/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock denials: read Landlock's audit records and show them per
 * container, with the time of each and what would allow it; say when the
 * kernel dropped records.  Reading is denials-read.c, naming the container
 * of each domain denials-place.c.
 */
#include "cli.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "denials.h"
#include "host/audit-status.h"
#include "sandbox/abi.h"

#define AUDIT_LOG  "/var/log/audit/audit.log"
#define AUDITD_PID "/run/auditd.pid"
#define USAGE	   "Usage: oci-landlock denials [--since TIME] [--all] [--log FILE] [CONTAINER...]\n"

struct options {
	const char *source;
	bool kmsg, all;
	const char *since;
	int n;		    /* containers asked for */
	char **names;	    /* argv's, in place */
	char (*podman)[65]; /* podman's id for each name, "" when none */
};

static bool all_hex(const char *s)
{
	for (; *s; s++)
		if (!isxdigit((unsigned char) *s) || isupper((unsigned char) *s))
			return false;
	return true;
}

/* An id, an id prefix of a 64-hex id, or what podman named. */
static bool matches(const char *container, const char *name, const char *podman)
{
	if (!container[0])
		return false;
	if (!strcmp(container, name) || (podman[0] && !strcmp(container, podman)))
		return true;
	return name[0] && strlen(container) == 64 && all_hex(name) &&
	       !strncmp(container, name, strlen(name));
}

static bool wanted(const struct ol_domain *d, const struct options *o)
{
	if (o->n == 0)
		return o->all || d->container[0];
	for (int i = 0; i < o->n; i++)
		if (matches(d->container, o->names[i], o->podman[i]))
			return true;
	return false;
}

static void format_time(long long ms, bool date, char *buf, size_t size)
{
	time_t t = (time_t) (ms / 1000);
	struct tm tm;

	if (ms < 0 || !localtime_r(&t, &tm) ||
	    !strftime(buf, size, date ? "%Y-%m-%d %H:%M:%S" : "%H:%M:%S", &tm))
		snprintf(buf, size, "?");
}

static void print_denial(const struct ol_denial *dn, FILE *out)
{
	char what[4 * 4200], fix[4200], first[32], last[32];
	struct tm a, b;
	time_t ta = (time_t) (dn->first_ms / 1000), tb = (time_t) (dn->last_ms / 1000);
	bool same_day = dn->first_ms >= 0 && dn->last_ms >= 0 && localtime_r(&ta, &a) &&
			localtime_r(&tb, &b) && a.tm_yday == b.tm_yday && a.tm_year == b.tm_year;

	if (dn->rec.path[0])
		ol_printable(dn->rec.path, what, sizeof(what)); /* the workload's */
	else if (dn->rec.port >= 0)
		snprintf(what, sizeof(what), "port %ld", dn->rec.port);
	else if (dn->rec.opid >= 0)
		snprintf(what, sizeof(what), "pid %ld", dn->rec.opid);
	else
		snprintf(what, sizeof(what), "-");
	format_time(dn->first_ms, true, first, sizeof(first));
	format_time(dn->last_ms, !same_day, last, sizeof(last));
	fprintf(out, "  %s %s %s", first, dn->rec.blockers, what);
	if (dn->count > 1 && dn->last_ms / 1000 != dn->first_ms / 1000)
		fprintf(out, " (%u times, last %s)", dn->count, last);
	else if (dn->count > 1)
		fprintf(out, " (%u times)", dn->count);
	if (ol_audit_suggest(&dn->rec, fix, sizeof(fix)))
		fprintf(out, ": allow with %s", fix);
	else if (dn->rec.path[0] && strncmp(dn->rec.blockers, "fs.", 3) == 0 &&
		 !ol_audit_path_nameable(dn->rec.path))
		fprintf(out, ": no annotation suggested (the path is relative, or holds ':', ',' "
			     "or a control character)");
	fprintf(out, "\n");
}

static void print_header(const struct ol_domain *d, FILE *out)
{
	if (d->container[0])
		fprintf(out, "container %.*s (%s, pid %ld, Landlock domain %s)\n",
			strlen(d->container) == 64 && all_hex(d->container) ? 12 : OL_RECORD_ID,
			d->container, d->place == OL_PLACE_RUNNING ? "running" : "exited", d->pid,
			d->id);
	else if (d->pid > 0)
		fprintf(out, "pid %ld (no container known; Landlock domain %s)\n", d->pid, d->id);
	else
		fprintf(out, "Landlock domain %s (the record of its creation is not in the log)\n",
			d->id);
}

/*
 * One group per domain with denials, in the order the domains appeared.
 * *hidden counts the denials of domains in no known container, left out.
 */
static size_t print_groups(const struct ol_denials *st, const struct options *o, size_t *hidden,
			   FILE *out)
{
	size_t shown = 0;

	*hidden = 0;
	for (size_t di = 0; di < st->n_domains; di++) {
		const struct ol_domain *d = &st->domains[di];
		bool header = false, show = wanted(d, o);
		for (size_t i = 0; i < st->n_denials; i++) {
			if (st->denials[i].domain != di)
				continue;
			if (!show) {
				*hidden += d->container[0] ? 0 : st->denials[i].count;
				continue;
			}
			if (!header)
				print_header(d, out);
			header = true;
			print_denial(&st->denials[i], out);
			shown++;
		}
	}
	return shown;
}

static bool auditd_runs(void)
{
	cleanup_free char *text = NULL;
	struct ol_error err = { 0 };
	char path[64];
	uint64_t pid;
	size_t len;

	if (ol_read_file(AUDITD_PID, 64, &text, &len, &err) < 0)
		return false;
	while (len && (text[len - 1] == '\n' || text[len - 1] == ' '))
		len--;
	if (ol_parse_uint(text, len, INT32_MAX, &pid) < 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%llu", (unsigned long long) pid);
	return access(path, F_OK) == 0;
}

/* @SECONDS, a span back from now (30s 10m 2h 1d), or a local time. */
static long long parse_since(const char *s)
{
	static const char *const formats[] = { "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
					       "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d" };
	size_t len = strlen(s);
	uint64_t v;

	if (s[0] == '@')
		return ol_parse_uint(s + 1, len - 1, 1ULL << 40, &v) < 0 ? -1
									 : (long long) v * 1000;
	if (len > 1 && ol_parse_uint(s, len - 1, 1ULL << 30, &v) == 0) {
		const char *unit = strchr("smhd", s[len - 1]);
		static const long long scale[] = { 1, 60, 3600, 86400 };
		if (!unit || !s[len - 1])
			return -1;
		return (long long) time(NULL) * 1000 - (long long) v * scale[unit - "smhd"] * 1000;
	}
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		struct tm tm = { .tm_isdst = -1 };
		const char *end = strptime(s, formats[i], &tm);
		time_t t;
		if (end && !*end && (t = mktime(&tm)) != (time_t) -1)
			return (long long) t * 1000;
	}
	return -1;
}

static int parse_options(int argc, char **argv, struct options *o, long long *since_ms)
{
	bool operands = false;

	*since_ms = -1;
	o->names = argv + 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!operands && !strcmp(a, "--")) {
			operands = true;
		} else if (!operands && (!strcmp(a, "--log") || !strcmp(a, "--since"))) {
			if (i + 1 == argc) {
				fprintf(stderr,
					"oci-landlock: denials: option '%s' needs a value\n" USAGE,
					a);
				return 2;
			}
			*(a[2] == 'l' ? &o->source : &o->since) = argv[++i];
		} else if (!operands && !strcmp(a, "--all")) {
			o->all = true;
		} else if (!operands && a[0] == '-') {
			fprintf(stderr, "oci-landlock: denials: unknown option '%s'\n" USAGE, a);
			return 2;
		} else {
			o->names[o->n++] = argv[i];
		}
	}
	if (o->since && (*since_ms = parse_since(o->since)) < 0) {
		fprintf(stderr,
			"oci-landlock: denials: --since '%s' is not a time\n"
			"Hint: write @SECONDS (since the epoch), a span back from now (30s, 10m, "
			"2h, 1d) or a local time (2026-12-02 14:05, 2026-12-02T14:05:30)\n",
			o->since);
		return 2;
	}
	return 0;
}

/* What the kernel said it dropped: on stderr, with how to keep it all. */
static void report_losses(const struct ol_denials *st, const struct options *o)
{
	struct ol_audit_status as = { 0 };
	struct ol_error ignored = { 0 };

	if (st->suppressed > 0)
		fprintf(stderr,
			"oci-landlock: warning: the kernel log dropped %ld audit record%s "
			"('kauditd_printk_skb: callbacks suppressed' in %s): denials may be "
			"missing\n"
			"Hint: without auditd the kernel prints audit records under "
			"kernel.printk_ratelimit (seconds) and kernel.printk_ratelimit_burst: run "
			"auditd, or lift the limit while you look (sysctl -w "
			"kernel.printk_ratelimit=0)\n",
			st->suppressed, st->suppressed == 1 ? "" : "s", o->source);
	if (ol_audit_status_get(&as, &ignored) == 0 && (as.lost > 0 || st->lost > 0)) {
		unsigned lost = as.lost > (unsigned) st->lost ? as.lost : (unsigned) st->lost;
		fprintf(stderr,
			"oci-landlock: warning: the kernel's audit lost %u record%s since boot "
			"(backlog_limit %u, rate_limit %u): denials may be missing\n"
			"Hint: raise the backlog (auditctl -b 8192), lift the rate limit "
			"(auditctl -r 0) and keep auditd reading (auditctl -s shows 'lost')\n",
			lost, lost == 1 ? "" : "s", as.backlog_limit, as.rate_limit);
	}
}

/*
 * What the live log of this kernel cannot hold: quiet denials (ABI 10).  A
 * saved log (--log) may come from any kernel: nothing is said of it.
 */
static void report_quiet(bool saved)
{
	struct ol_kernel k;
	const char *note;

	if (saved)
		return;
	ol_kernel_probe(&k);
	note = ol_audit_quiet_note(k.abi);
	if (note)
		fprintf(stderr, "oci-landlock: note: %s\n", note);
}

/* Names that place no shown domain: asked of podman, then reported. */
static void resolve_names(const struct ol_denials *st, struct options *o)
{
	for (int i = 0; i < o->n; i++) {
		bool found = false;
		for (size_t d = 0; d < st->n_domains && !found; d++)
			found = matches(st->domains[d].container, o->names[i], "");
		if (!found && !ol_denials_podman_id(o->names[i], o->podman[i]))
			fprintf(stderr,
				"oci-landlock: denials: no container '%s' in the log: not the id "
				"(or a prefix of the id) of a container with denials, and no "
				"podman container of that name\n",
				o->names[i]);
	}
}

int ol_cli_denials(int argc, char **argv, FILE *out)
{
	struct ol_denials st = { 0 };
	struct options o = { 0 };
	size_t shown, hidden;
	char since[32];
	bool saved;
	int r = parse_options(argc, argv, &o, &st.since_ms);

	if (r)
		return r;
	saved = o.source != NULL;
	if (!o.source) {
		o.kmsg = !auditd_runs();
		o.source = o.kmsg ? "/dev/kmsg" : AUDIT_LOG;
	}
	o.podman = calloc((size_t) o.n + 1, sizeof(*o.podman));
	r = o.podman ? ol_denials_read(o.source, o.kmsg, &st) : -ENOMEM;
	if (r < 0) {
		fprintf(stderr, "oci-landlock: cannot read '%s': %s\n", o.source, strerror(-r));
		ol_denials_free(&st);
		free(o.podman);
		return 1;
	}
	if (ol_denials_place(&st) == -EPERM)
		fprintf(stderr,
			"oci-landlock: warning: '%s' may be written by others than root: "
			"its records are not used\n",
			OL_RECORD_DIR);
	resolve_names(&st, &o);
	shown = print_groups(&st, &o, &hidden, out);
	format_time(st.since_ms, true, since, sizeof(since));
	if (!shown)
		fprintf(out,
			"no Landlock denials%s in %s%s%s%s\n(the kernel logs them once auditing is "
			"on: "
			"auditctl -e 1; Landlock ABI 7 and the launcher's default --log)\n",
			o.n || o.all ? "" : " of containers", o.source,
			o.n ? " for these containers" : "", o.since ? " since " : "",
			o.since ? since : "");
	if (hidden)
		fprintf(stderr,
			"oci-landlock: denials: %zu denial%s of processes in no known container "
			"not shown (--all shows them)\n",
			hidden, hidden == 1 ? "" : "s");
	report_losses(&st, &o);
	report_quiet(saved);
	ol_denials_free(&st);
	free(o.podman);
	return 0;
}
