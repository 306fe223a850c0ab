/* jw.h - compact JSON writing into a struct buf. The caller lays out
 * punctuation with buf_addc(); these write the values. */
#ifndef JW_H
#define JW_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"

/* A JSON string literal, quotes included. s must be valid UTF-8
 * (see jw_utf8ok); control characters, '"' and '\\' are escaped. */
void	jw_str(struct buf *, const char *s, size_t n);
/* "key": */
void	jw_key(struct buf *, const char *s, size_t n);
void	jw_i64(struct buf *, int64_t);
void	jw_u64(struct buf *, uint64_t);
/* Shortest text that reads back as the same double ("5", "0.1"). */
void	jw_dbl(struct buf *, double);
/* Base64 (RFC 4648, padded) of n bytes, as a JSON string literal. */
void	jw_b64(struct buf *, const unsigned char *p, size_t n);
/* The bytes of the base64 text s (the standard or the URL alphabet)
 * appended to o: up to the first '=', or (loose) passing over every '='
 * and white space. 0, or -1 at a byte that is not base64. */
int	jw_unb64(const char *s, struct buf *o, int loose);
/* The offset of the first byte of p[0..n) that does not start a valid
 * UTF-8 sequence (overlongs and surrogates are not valid), or n. */
size_t	jw_utf8bad(const char *p, size_t n);
/* 1 when p[0..n) is valid UTF-8. */
static inline int
jw_utf8ok(const char *p, size_t n)
{
	return jw_utf8bad(p, n) == n;
}
/* Decimal digits of v into out (no NUL); returns the length (<= 20). */
size_t	jw_fmt_u64(char *out, uint64_t v);

#endif
