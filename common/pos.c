/* pos.c - a job's position in its input: see pos.h. */
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "kp.h"
#include "pos.h"

void
pos_write(struct buf *b, const char *topic, size_t tlen, int64_t after,
    const struct pos_part *p, size_t n)
{
	size_t i;

	buf_add(b, topic, tlen);
	buf_addc(b, ' ');
	jw_i64(b, after);
	for (i = 0; i < n; i++) {
		buf_addc(b, ' ');
		jw_i64(b, p[i].part);
		buf_addc(b, ':');
		jw_i64(b, p[i].off);
	}
}

/* a number in s[*i..n) up to a byte of stop or the end */
static int
num(const char *s, size_t n, size_t *i, const char *stop, long long min,
    long long max, long long *v)
{
	size_t j = *i;

	while (j < n && strchr(stop, s[j]) == NULL)
		j++;
	if (j == *i || kp_int(s + *i, j - *i, min, max, v) < 0)
		return -1;
	*i = j;
	return 0;
}

int
pos_parse(struct pos *ps, const char *s, size_t n)
{
	size_t i = 0;
	long long v;

	while (i < n && s[i] != ' ')
		i++;
	if (i == 0 || i >= sizeof(ps->topic) || i == n)
		return -1;
	memcpy(ps->topic, s, i);
	ps->topic[i++] = '\0';
	if (num(s, n, &i, " ", INT64_MIN + 1, INT64_MAX, &v) < 0)
		return -1;
	ps->after = v;
	ps->n = 0;
	while (i < n) {
		if (s[i++] != ' ')
			return -1;
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 16;
			ps->p = kp_xrealloc(ps->p, ps->cap * sizeof(*ps->p));
		}
		if (num(s, n, &i, ":", 0, INT32_MAX, &v) < 0 || i == n ||
		    s[i++] != ':')
			return -1;
		ps->p[ps->n].part = (int32_t)v;
		if (num(s, n, &i, " ", 0, INT64_MAX, &v) < 0)
			return -1;
		ps->p[ps->n++].off = v;
	}
	return 0;
}

void
pos_free(struct pos *ps)
{
	free(ps->p);
	ps->p = NULL;
	ps->n = ps->cap = 0;
}
