/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The error object every fallible library function fills in.
 *
 * Library code never prints and never exits: it returns a negative errno
 * value and describes the failure in a struct ol_error that the caller
 * passed down.  Callers on the way up may prepend context (the annotation
 * key, the option, the file) with ol_error_prefix().  Only a program's
 * main() prints the message, the optional hint, and exits.  See
 * docs/error-handling.md.
 */
#ifndef OL_COMMON_ERROR_H
#define OL_COMMON_ERROR_H

#include <stdarg.h>
#include <stddef.h>

struct ol_error {
	int code;	/* positive errno value; 0 while no error is set */
	char msg[1024]; /* one line, no trailing newline */
	char hint[512]; /* what the user can do; empty when obvious */
};

#define OL_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Record an error; returns -code so callers can `return ol_error_set(...)`. */
int ol_error_set(struct ol_error *err, int code, const char *fmt, ...) OL_PRINTF(3, 4);

/* Record an error whose reason is strerror(code) appended to the text. */
int ol_error_errno(struct ol_error *err, int code, const char *fmt, ...) OL_PRINTF(3, 4);

/* Set (replace) the hint of the current error; returns -err->code. */
int ol_error_hint(struct ol_error *err, const char *fmt, ...) OL_PRINTF(2, 3);

/* Record that memory ran out; returns -ENOMEM. */
int ol_error_oom(struct ol_error *err);

/* Prepend "<text>: " to the message; returns -err->code. */
int ol_error_prefix(struct ol_error *err, const char *fmt, ...) OL_PRINTF(2, 3);

void ol_error_clear(struct ol_error *err);

/* Room for any formatted error: the program's name, the message, the hint. */
#define OL_ERROR_TEXT_MAX 1664

enum ol_error_style {
	OL_ERROR_LINES,	   /* "PROGRAM: MSG", then "Hint: HINT" on a line of its own */
	OL_ERROR_ONE_LINE, /* "PROGRAM: MSG (Hint: HINT)", for a log line */
};

/*
 * The error as a program reports it, without a trailing newline, into buf
 * (OL_ERROR_TEXT_MAX bytes hold any); program may be NULL.  Returns buf.
 * Every program and printing subcommand reports an error this way.
 */
const char *ol_error_format(const struct ol_error *err, const char *program,
			    enum ol_error_style style, char *buf, size_t size);

#endif
