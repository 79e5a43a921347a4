/* SPDX-License-Identifier: Apache-2.0 */
/* The error object: formatting helpers, no I/O. */
#include "error.h"
#include "text.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

/* Cut a too-long text to "...", between two UTF-8 characters (a message
 * cut inside one would not be text: a JSON printer refuses it). */
static void ellipsis(char *dst, size_t size)
{
	size_t at = size - 4;

	while (at > 0 && ((unsigned char) dst[at] & 0xc0) == 0x80)
		at--;
	memcpy(dst + at, "...", 4);
}

__attribute__((format(printf, 3, 0))) static void format_into(char *dst, size_t size,
							      const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, size, fmt, ap);
	/* Keep truncation visible rather than silently cutting a word. */
	if (n >= 0 && (size_t) n >= size && size > 4)
		ellipsis(dst, size);
}

int ol_error_set(struct ol_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code > 0 ? code : EINVAL;
	err->hint[0] = '\0';
	va_start(ap, fmt);
	format_into(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -err->code;
}

int ol_error_errno(struct ol_error *err, int code, const char *fmt, ...)
{
	char head[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	format_into(head, sizeof(head), fmt, ap);
	va_end(ap);
	return ol_error_set(err, code, "%s: %s", head, strerror(code));
}

int ol_error_hint(struct ol_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	format_into(err->hint, sizeof(err->hint), fmt, ap);
	va_end(ap);
	if (err->code == 0)
		err->code = EINVAL;
	return -err->code;
}

int ol_error_oom(struct ol_error *err)
{
	return ol_error_set(err, ENOMEM, "out of memory");
}

int ol_error_prefix(struct ol_error *err, const char *fmt, ...)
{
	char head[sizeof(err->msg)];
	char old[sizeof(err->msg)];
	va_list ap;

	va_start(ap, fmt);
	format_into(head, sizeof(head), fmt, ap);
	va_end(ap);
	memcpy(old, err->msg, sizeof(old));
	if (snprintf(err->msg, sizeof(err->msg), "%s: %s", head, old) >= (int) sizeof(err->msg))
		ellipsis(err->msg, sizeof(err->msg));
	if (err->code == 0)
		err->code = EINVAL;
	return -err->code;
}

void ol_error_clear(struct ol_error *err)
{
	err->code = 0;
	err->msg[0] = '\0';
	err->hint[0] = '\0';
}

const char *ol_error_format(const struct ol_error *err, const char *program,
			    enum ol_error_style style, char *buf, size_t size)
{
	const char *sep = program ? ": " : "";
	const char *name = program ? program : "";
	char msg[sizeof(err->msg)], hint[sizeof(err->hint)];

	/* Messages quote what others wrote (paths, names from an image): a
	 * newline or an escape sequence there must not forge a line. */
	ol_printable(err->msg, msg, sizeof(msg));
	ol_printable(err->hint, hint, sizeof(hint));
	if (!hint[0])
		snprintf(buf, size, "%s%s%s", name, sep, msg);
	else if (style == OL_ERROR_ONE_LINE)
		snprintf(buf, size, "%s%s%s (Hint: %s)", name, sep, msg, hint);
	else
		snprintf(buf, size, "%s%s%s\nHint: %s", name, sep, msg, hint);
	return buf;
}
