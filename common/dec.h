/* dec.h - exact decimal numbers: value = (neg ? -1 : 1) * m * 10^e,
 * with m below 10^38 (38 significant digits, more than DECIMAL(38) in
 * Flink). Sums, products and roundings are exact while the result fits
 * in 38 digits, and rounded half-to-even beyond, like decimal128.
 * Division is rounded half-to-even to DEC_DIV_DIGITS significant digits. */
#ifndef DEC_H
#define DEC_H

#include <stddef.h>
#include <stdint.h>

#define DEC_DIGITS	38
#define DEC_DIV_DIGITS	34
#define DEC_EMAX	100000000	/* bound on the exponent of the first
				   digit, 1e+100000000: beyond is out of range */
#define DEC_FMT_MAX	64		/* room for dec_fmt() output */

typedef unsigned __int128 dec_u128;

struct dec {
	dec_u128	 m;
	int32_t		 e;
	int		 neg;
};

enum { DEC_OK = 0, DEC_SYNTAX = -1, DEC_RANGE = -2 };

/* Parse a JSON number's text (also accepts a leading '+' and no digit
 * before '.', as in CSV files). DEC_OK, DEC_SYNTAX or DEC_RANGE. */
int	dec_parse(struct dec *, const char *s, size_t n);
void	dec_from_i64(struct dec *, int64_t);
/* r = a + b, a * b, a / b. DEC_OK, or DEC_RANGE on exponent overflow
 * or division by zero. r may alias a or b. */
int	dec_add(struct dec *r, const struct dec *a, const struct dec *b);
int	dec_mul(struct dec *r, const struct dec *a, const struct dec *b);
int	dec_div(struct dec *r, const struct dec *a, const struct dec *b);
/* Round half-to-even to `places` digits after the point (may be < 0). */
void	dec_round(struct dec *, int places);
/* -1, 0, 1 as a <, ==, > b. */
int	dec_cmp(const struct dec *a, const struct dec *b);
int	dec_iszero(const struct dec *);
double	dec_to_double(const struct dec *);
/* Integer part if it fits in int64, truncated toward minus infinity;
 * -1 when it does not fit, else 0. */
int	dec_floor_i64(const struct dec *, int64_t *);
/* Shortest text: no trailing zeros, plain notation for exponents of
 * moderate size ("1459.45", "0.001", "1000"), else "1.5e+40". Writes at
 * most DEC_FMT_MAX bytes, no NUL; returns the length. */
size_t	dec_fmt(const struct dec *, char *out);

#endif
