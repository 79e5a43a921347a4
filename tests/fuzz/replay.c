/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Run a fuzz target over every file of the corpus directories given as
 * arguments, without libFuzzer: each fuzz target is also a plain test.
 * Seeds named accept-* must be accepted and reject-* refused, so a parser
 * that started accepting duplicate keys, say, fails here.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "fuzz.h"

int main(int argc, char **argv)
{
	size_t n = 0, failed = 0;

	for (int i = 1; i < argc; i++) {
		DIR *d = opendir(argv[i]);
		struct dirent *de;

		if (!d) {
			perror(argv[i]);
			return 1;
		}
		while ((de = readdir(d))) {
			struct ol_error err = { 0 };
			char path[4096];
			char *data = NULL;
			size_t len;

			if (de->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", argv[i], de->d_name);
			if (ol_read_file(path, 16 << 20, &data, &len, &err) < 0) {
				fprintf(stderr, "%s\n", err.msg);
				closedir(d);
				return 1;
			}
			LLVMFuzzerTestOneInput((const uint8_t *) data, len);
			free(data);
			n++;
			if ((strncmp(de->d_name, "accept-", 7) == 0 && !ol_fuzz_accepted) ||
			    (strncmp(de->d_name, "reject-", 7) == 0 && ol_fuzz_accepted)) {
				fprintf(stderr, "%s: %s\n", path,
					ol_fuzz_accepted ? "accepted, expected refused"
							 : "refused, expected accepted");
				failed++;
			}
		}
		closedir(d);
	}
	printf("replayed %zu inputs, %zu with the wrong outcome\n", n, failed);
	return n && !failed ? 0 : 1;
}
