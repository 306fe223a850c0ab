/* dec.c - exact decimal arithmetic on 128-bit coefficients. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dec.h"

static dec_u128 p10[DEC_DIGITS + 2];
static int p10_ready;

static void
init_p10(void)
{
	int i;

	if (p10_ready)
		return;
	p10[0] = 1;
	for (i = 1; i < DEC_DIGITS + 2; i++)
		p10[i] = p10[i - 1] * 10;
	p10_ready = 1;
}

#define MMAX (p10[DEC_DIGITS])	/* m must stay below this */

static int
ndigits(dec_u128 m)
{
	int n = 1;

	while (n <= DEC_DIGITS && m >= p10[n])
		n++;
	return n;
}

/* m / 10^k rounded half-to-even; sticky says digits already dropped
 * below were non-zero. k may exceed 38. */
static dec_u128
shift_round(dec_u128 m, int k, int sticky)
{
	dec_u128 q, r, half;

	if (k <= 0)
		return m;
	if (k > DEC_DIGITS + 1)
		return 0;	/* m < 10^38 < half of 10^k */
	q = m / p10[k];
	r = m % p10[k];
	half = p10[k] / 2;
	if (r > half || (r == half && (sticky || (q & 1))))
		q++;
	return q;
}

/* Whether m * 10^e is within range: its exponent in scientific notation
 * (that of its first digit, as dec_fmt() prints it) within +-DEC_EMAX,
 * so the range is a property of the value, not of its representation. */
static int
inrange(dec_u128 m, long long e)
{
	long long adj;

	if (m == 0 || (e >= -DEC_EMAX && e <= DEC_EMAX - DEC_DIGITS))
		return 1;
	adj = e + ndigits(m) - 1;
	return adj >= -DEC_EMAX && adj <= DEC_EMAX;
}

/* Bring m below 10^38 by dropping digits, rounding half-to-even. */
static int
normalize(struct dec *d)
{
	int k;

	if (d->m >= MMAX) {
		k = ndigits(d->m) - DEC_DIGITS;
		d->m = shift_round(d->m, k, 0);
		d->e += k;
		if (d->m >= MMAX) {	/* rounding carried: 10^38 */
			d->m /= 10;
			d->e++;
		}
	}
	if (!inrange(d->m, d->e)) {
		if (d->m == 0) {
			d->e = 0;
			return DEC_OK;
		}
		return DEC_RANGE;
	}
	return DEC_OK;
}

/* r = m * 10^e, negative when neg (and m not 0), m below 10^38: DEC_OK,
 * or DEC_RANGE when that is beyond the exponent range. */
static int
result(struct dec *r, dec_u128 m, long long e, int neg)
{
	if (m == 0)
		e = 0;
	if (!inrange(m, e))
		return DEC_RANGE;
	r->m = m;
	r->neg = m != 0 && neg;
	r->e = (int32_t)e;
	return DEC_OK;
}

/* dec_parse() of the usual number: at most 19 digits (so they fit in
 * 64 bits and none is dropped), a point perhaps, no exponent. 1 done, 0
 * when it is not such a number. */
static int
parse_short(struct dec *d, const char *s, size_t n)
{
	const char *p = s, *end = s + n, *dot = NULL;
	uint64_t m = 0;
	int neg = 0, nd = 0;

	if (p < end && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	for (; p < end; p++) {
		if (*p >= '0' && *p <= '9') {
			if (++nd > 19)
				return 0;
			m = m * 10 + (unsigned)(*p - '0');
		} else if (*p == '.' && dot == NULL)
			dot = p;
		else
			return 0;
	}
	if (nd == 0)
		return 0;
	d->m = m;
	d->e = m == 0 || dot == NULL ? 0 : -(int32_t)(end - dot - 1);
	d->neg = m != 0 && neg;
	return 1;
}

int
dec_parse(struct dec *d, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int sig = 0, dropped = 0, sticky = 0, lastdrop = 0, frac;
	long long e = 0, x = 0;
	int xneg = 0, any = 0;

	if (parse_short(d, s, n))
		return DEC_OK;
	init_p10();
	d->m = 0;
	d->e = 0;
	d->neg = 0;
	if (p < end && (*p == '-' || *p == '+'))
		d->neg = *p++ == '-';
	/* the digits before the point, then (frac) those after it: 38 kept,
	 * the rest remembered for rounding */
	for (frac = 0; frac < 2; frac++) {
		for (; p < end && *p >= '0' && *p <= '9'; p++, any = 1) {
			if (sig < DEC_DIGITS) {
				d->m = d->m * 10 + (unsigned)(*p - '0');
				if (d->m != 0)
					sig++;
				e -= frac;
			} else {
				if (dropped == 0)
					lastdrop = *p - '0';
				else if (*p != '0')
					sticky = 1;
				dropped++;
				e += !frac;
			}
		}
		if (frac || p == end || *p != '.')
			break;
		p++;
	}
	if (!any)
		return DEC_SYNTAX;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '-' || *p == '+'))
			xneg = *p++ == '-';
		if (p == end || *p < '0' || *p > '9')
			return DEC_SYNTAX;
		for (; p < end && *p >= '0' && *p <= '9'; p++)
			if (x < 10LL * DEC_EMAX)
				x = x * 10 + (*p - '0');
		e += xneg ? -x : x;
	}
	if (p != end)
		return DEC_SYNTAX;
	/* Round the dropped digits: lastdrop is the first one dropped. */
	if (dropped > 0 && (lastdrop > 5 || (lastdrop == 5 &&
	    (sticky || (d->m & 1))))) {
		d->m++;
		if (d->m >= MMAX) {
			d->m /= 10;
			e++;
		}
	}
	return result(d, d->m, e, d->neg);
}

void
dec_from_i64(struct dec *d, int64_t v)
{
	init_p10();
	d->neg = v < 0;
	d->m = v < 0 ? (dec_u128)((uint64_t)0 - (uint64_t)v) : (dec_u128)v;
	d->e = 0;
}

int
dec_iszero(const struct dec *d)
{
	return d->m == 0;
}

/* 256-bit helpers for products and quotients: four 64-bit limbs, little
 * endian. */
struct u256 {
	uint64_t w[4];
};

static void
mul128(struct u256 *r, dec_u128 a, dec_u128 b)
{
	uint64_t a0 = (uint64_t)a, a1 = (uint64_t)(a >> 64);
	uint64_t b0 = (uint64_t)b, b1 = (uint64_t)(b >> 64);
	dec_u128 p00 = (dec_u128)a0 * b0, p01 = (dec_u128)a0 * b1;
	dec_u128 p10_ = (dec_u128)a1 * b0, p11 = (dec_u128)a1 * b1;
	dec_u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10_;

	r->w[0] = (uint64_t)p00;
	r->w[1] = (uint64_t)mid;
	mid = (mid >> 64) + (p01 >> 64) + (p10_ >> 64) + (uint64_t)p11;
	r->w[2] = (uint64_t)mid;
	r->w[3] = (uint64_t)((mid >> 64) + (p11 >> 64));
}

static int
u256_fits128(const struct u256 *x)
{
	return x->w[2] == 0 && x->w[3] == 0;
}

static unsigned
u256_div10(struct u256 *x)
{
	dec_u128 rem = 0, cur;
	int i;

	for (i = 3; i >= 0; i--) {
		cur = rem << 64 | x->w[i];
		x->w[i] = (uint64_t)(cur / 10);
		rem = cur % 10;
	}
	return (unsigned)rem;
}

static void
u256_mul10(struct u256 *x)
{
	dec_u128 carry = 0, cur;
	int i;

	for (i = 0; i < 4; i++) {
		cur = (dec_u128)x->w[i] * 10 + carry;
		x->w[i] = (uint64_t)cur;
		carry = cur >> 64;
	}
}

/* Add or subtract m to or from x, in place (x >= m when subtracting). */
static void
u256_addsub(struct u256 *x, dec_u128 m, int sub)
{
	uint64_t w, t;
	unsigned c = 0;
	int i;

	for (i = 0; i < 4; i++) {
		w = i == 0 ? (uint64_t)m : i == 1 ? (uint64_t)(m >> 64) : 0;
		t = sub ? x->w[i] - w - c : x->w[i] + w + c;
		c = sub ? x->w[i] < w || (x->w[i] == w && c) :
		    t < x->w[i] || (t == x->w[i] && c);
		x->w[i] = t;
	}
}

/* x * 10^e to at most 38 digits, rounded half-to-even once: the
 * coefficient, with *e raised by the digits dropped. */
static dec_u128
round256(struct u256 *x, long long *e)
{
	dec_u128 m;
	unsigned last = 0, d;
	int sticky = 0;

	for (;;) {
		m = (dec_u128)x->w[1] << 64 | x->w[0];
		if (u256_fits128(x) && m < MMAX)
			break;
		d = u256_div10(x);
		sticky |= last != 0;
		last = d;
		(*e)++;
	}
	if (last > 5 || (last == 5 && (sticky || (m & 1))))
		m++;
	if (m >= MMAX) {
		m /= 10;
		(*e)++;
	}
	return m;
}

int
dec_add(struct dec *r, const struct dec *a0, const struct dec *b0)
{
	struct dec a = *a0, b = *b0, t;
	struct u256 x;
	dec_u128 m;
	long long e;
	int shift, room, k;

	init_p10();
	if (b.m == 0) {
		*r = a;
		return DEC_OK;
	}
	if (a.m == 0) {
		*r = b;
		return DEC_OK;
	}
	if (a.e < b.e) {
		t = a, a = b, b = t;
	}
	/* now a.e >= b.e: scale a up to b's exponent; the usual case fits
	 * 38 digits, and the sum is exact before normalize() rounds it */
	shift = a.e - b.e;
	room = DEC_DIGITS - ndigits(a.m);
	if (shift <= room) {
		a.m *= p10[shift];
		if (a.neg == b.neg)
			r->m = a.m + b.m, r->neg = a.neg;
		else if (a.m >= b.m)
			r->m = a.m - b.m, r->neg = a.neg;
		else
			r->m = b.m - a.m, r->neg = b.neg;
		r->e = b.e;
		if (r->m == 0)
			r->neg = 0, r->e = 0;
		return normalize(r);
	}
	/* Else the exact sum in 256 bits, rounded once (rounding b to a's
	 * grid first would round twice, and by the wrong digit). Then
	 * a * 10^shift >= 10^38 > b, so the sum has a's sign. A b wholly
	 * below a hundredth of the result's last digit only decides which
	 * way a tie goes: a 1 in its place does the same. */
	if (shift - room >= 40) {
		b.m = 1;
		b.e = a.e - room - 3;
		shift = room + 3;
	}
	k = shift > DEC_DIGITS ? DEC_DIGITS : shift;
	mul128(&x, a.m, p10[k]);
	for (; k < shift; k++)
		u256_mul10(&x);
	u256_addsub(&x, b.m, a.neg != b.neg);
	e = b.e;
	m = round256(&x, &e);
	return result(r, m, e, a.neg);
}

int
dec_mul(struct dec *r, const struct dec *a, const struct dec *b)
{
	struct u256 p;
	dec_u128 m;
	long long e = (long long)a->e + b->e;

	init_p10();
	if ((a->m >> 64) == 0 && (b->m >> 64) == 0) {
		/* the usual case: one 64-bit product, nothing to drop */
		m = (dec_u128)(uint64_t)a->m * (uint64_t)b->m;
		if (m < MMAX)
			goto done;
	}
	mul128(&p, a->m, b->m);
	m = round256(&p, &e);
done:
	return result(r, m, e, a->neg != b->neg);
}

/* q = n / d for 256-bit n and 128-bit d, with the remainder. */
static dec_u128
u256_divmod(const struct u256 *n, dec_u128 d, dec_u128 *rem)
{
	dec_u128 r = 0, q = 0;
	int i, carry;

	for (i = 255; i >= 0; i--) {
		carry = (int)(r >> 127);
		r = r << 1 | ((n->w[i / 64] >> (i % 64)) & 1);
		q <<= 1;
		if (carry || r >= d) {
			r -= d;
			q |= 1;
		}
	}
	*rem = r;
	return q;
}

int
dec_div(struct dec *r, const struct dec *a, const struct dec *b)
{
	struct u256 n;
	dec_u128 q, rem;
	long long e;
	int k, drop, neg = a->neg != b->neg;

	init_p10();
	if (b->m == 0)
		return DEC_RANGE;
	if (a->m == 0) {
		r->m = 0, r->e = 0, r->neg = 0;
		return DEC_OK;
	}
	/* scale a by 10^k so the quotient has DEC_DIV_DIGITS + 1 digits */
	k = DEC_DIV_DIGITS + 1 + ndigits(b->m) - ndigits(a->m);
	if (k < 0)
		k = 0;
	/* the numerator has ndigits(b) + 35 <= 73 digits: fits 256 bits */
	mul128(&n, a->m, p10[k > DEC_DIGITS ? DEC_DIGITS : k]);
	for (int i = DEC_DIGITS; i < k; i++)
		u256_mul10(&n);
	q = u256_divmod(&n, b->m, &rem);
	e = (long long)a->e - k - b->e;
	/* drop to DEC_DIV_DIGITS, rounding half-to-even with the remainder
	 * as sticky */
	if ((drop = ndigits(q) - DEC_DIV_DIGITS) > 0) {
		q = shift_round(q, drop, rem != 0);
		e += drop;
		if (q >= p10[DEC_DIV_DIGITS]) {
			q /= 10;
			e++;
		}
	} else if (rem != 0 && (rem > b->m - rem ||
	    (rem == b->m - rem && (q & 1))))
		q++;	/* exact enough: round on the remainder */
	return result(r, q, e, neg);
}

void
dec_round(struct dec *d, int places)
{
	int k = -places - d->e;

	init_p10();
	if (k <= 0)
		return;
	d->m = shift_round(d->m, k, 0);
	d->e = -places;
	if (d->m == 0) {
		d->neg = 0;
		d->e = 0;
	}
}

int
dec_cmp(const struct dec *a, const struct dec *b)
{
	int sa, sb, ma, mb, s;
	dec_u128 x, y;

	init_p10();
	sa = a->m == 0 ? 0 : a->neg ? -1 : 1;
	sb = b->m == 0 ? 0 : b->neg ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	/* same sign: compare magnitudes, then flip for negatives */
	ma = ndigits(a->m) + a->e;
	mb = ndigits(b->m) + b->e;
	if (ma != mb)
		s = ma < mb ? -1 : 1;
	else {
		x = a->m, y = b->m;
		if (a->e > b->e)
			x *= p10[a->e - b->e];
		else if (b->e > a->e)
			y *= p10[b->e - a->e];
		s = x < y ? -1 : x > y;
	}
	return sa < 0 ? -s : s;
}

double
dec_to_double(const struct dec *d)
{
	char tmp[DEC_FMT_MAX + 1];
	size_t n = dec_fmt(d, tmp);

	tmp[n] = '\0';
	return strtod(tmp, NULL);
}

int
dec_floor_i64(const struct dec *d, int64_t *out)
{
	struct dec t = *d;
	dec_u128 q;
	int frac = 0;

	init_p10();
	if (t.e >= 0) {
		if (t.e > 19)
			return t.m == 0 ? (*out = 0, 0) : -1;
		if (t.m > ((dec_u128)1 << 64) / p10[t.e])
			return -1;
		q = t.m * p10[t.e];
	} else if (-t.e > DEC_DIGITS) {
		q = 0;
		frac = t.m != 0;
	} else {
		q = t.m / p10[-t.e];
		frac = t.m % p10[-t.e] != 0;
	}
	if (t.neg) {
		q += frac;
		if (q > (dec_u128)1 << 63)
			return -1;
		*out = (int64_t)((uint64_t)0 - (uint64_t)q);
	} else {
		if (q >= (dec_u128)1 << 63)
			return -1;
		*out = (int64_t)q;
	}
	return 0;
}

static const char digits2[] =
    "00010203040506070809101112131415161718192021222324252627282930313233"
    "34353637383940414243444546474849505152535455565758596061626364656667"
    "6869707172737475767778798081828384858687888990919293949596979899";

size_t
dec_fmt(const struct dec *d0, char *out)
{
	char tmp[DEC_DIGITS + 2], *dig = tmp + sizeof(tmp);
	struct dec d = *d0;
	int n, i, pointpos;
	size_t o = 0;
	dec_u128 m = d.m;
	uint64_t s;

	if (d.m == 0) {
		out[0] = '0';
		return 1;
	}
	/* the digits without trailing zeros, written backwards from the
	 * end of tmp: 128-bit division is a library call, so use 64 bits
	 * once the value fits, which is nearly always */
	while ((m >> 64) != 0 && m % 10 == 0) {
		m /= 10;
		d.e++;
	}
	while ((m >> 64) != 0) {
		*--dig = (char)('0' + (int)(m % 10));
		m /= 10;
	}
	s = (uint64_t)m;
	if (dig == tmp + sizeof(tmp))
		for (; s % 10 == 0; s /= 10)
			d.e++;
	for (; s >= 100; s /= 100) {
		dig -= 2;
		memcpy(dig, digits2 + 2 * (s % 100), 2);
	}
	if (s >= 10) {
		dig -= 2;
		memcpy(dig, digits2 + 2 * s, 2);
	} else if (s > 0)
		*--dig = (char)('0' + s);
	n = (int)(tmp + sizeof(tmp) - dig);
	if (d.neg)
		out[o++] = '-';
	pointpos = n + d.e;	/* digits before the point */
	if (d.e >= 0 && pointpos <= 40) {
		memcpy(out + o, dig, (size_t)n), o += (size_t)n;
		for (i = 0; i < d.e; i++)
			out[o++] = '0';
	} else if (d.e < 0 && pointpos > 0) {
		memcpy(out + o, dig, (size_t)pointpos), o += (size_t)pointpos;
		out[o++] = '.';
		memcpy(out + o, dig + pointpos, (size_t)(n - pointpos));
		o += (size_t)(n - pointpos);
	} else if (d.e < 0 && pointpos > -20) {
		out[o++] = '0';
		out[o++] = '.';
		for (i = 0; i < -pointpos; i++)
			out[o++] = '0';
		memcpy(out + o, dig, (size_t)n), o += (size_t)n;
	} else {
		out[o++] = dig[0];
		if (n > 1) {
			out[o++] = '.';
			memcpy(out + o, dig + 1, (size_t)(n - 1));
			o += (size_t)(n - 1);
		}
		o += (size_t)sprintf(out + o, "e%+d", pointpos - 1);
	}
	return o;
}
