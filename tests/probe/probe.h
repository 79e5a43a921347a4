/* SPDX-License-Identifier: Apache-2.0 */
/* The probe's operations: each returns 0 or the errno value. */
#ifndef OL_TESTS_PROBE_H
#define OL_TESTS_PROBE_H

struct probe_op {
	const char *name;
	int nargs;
	int (*fn)(char **args);
};

/* Both tables end with a NULL name. */
extern const struct probe_op probe_fs_ops[];
extern const struct probe_op probe_net_ops[];

/* 0 when r >= 0, else errno. */
int probe_result(int r);

#endif
