/* SPDX-License-Identifier: Apache-2.0 */
/* The error object: formatting helpers, no I/O. */
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

__attribute__((format(printf, 3, 0))) static void format_into(char *dst, size_t size,
							      const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, size, fmt, ap);
	/* Keep truncation visible rather than silently cutting a word. */
	if (n >= 0 && (size_t) n >= size && size > 4)
		memcpy(dst + size - 4, "...", 4);
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
		memcpy(err->msg + sizeof(err->msg) - 4, "...", 4);
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

	if (!err->hint[0])
		snprintf(buf, size, "%s%s%s", name, sep, err->msg);
	else if (style == OL_ERROR_ONE_LINE)
		snprintf(buf, size, "%s%s%s (Hint: %s)", name, sep, err->msg, err->hint);
	else
		snprintf(buf, size, "%s%s%s\nHint: %s", name, sep, err->msg, err->hint);
	return buf;
}
