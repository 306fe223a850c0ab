/* pos.c - a job's position in its input: see pos.h. */
#include <stdlib.h>
#include <string.h>

#include "jw.h"
#include "kp.h"
#include "pos.h"

/* "[@WM][+NEXT]" */
static void
extra(struct buf *b, int64_t wm, int64_t next)
{
	if (wm != POS_NOAFTER) {
		buf_addc(b, '@');
		jw_i64(b, wm);
	}
	if (next >= 0) {
		buf_addc(b, '+');
		jw_i64(b, next);
	}
}

void
pos_write(struct buf *b, const struct pos *names, int64_t after,
    const struct pos_part *p, size_t n, const char *fence)
{
	size_t i;
	uint32_t t = 0;

	if (names->nt > 0)
		buf_add(b, names->topic[0], strlen(names->topic[0]));
	else
		buf_addc(b, '-');	/* no topic known: no partition */
	buf_addc(b, ' ');
	jw_i64(b, after);
	for (i = 0; i < n; i++) {
		buf_addc(b, ' ');
		if (p[i].t != t) {
			t = p[i].t;
			buf_add(b, names->topic[t], strlen(names->topic[t]));
			buf_addc(b, ' ');
		}
		jw_i64(b, p[i].part);
		buf_addc(b, ':');
		jw_i64(b, p[i].off);
		if (p[i].after != POS_NOAFTER && p[i].after > after) {
			buf_addc(b, ':');
			jw_i64(b, p[i].after);
		}
		extra(b, p[i].wm, p[i].next);
	}
	if (fence != NULL && *fence != '\0') {
		buf_adds(b, " !");
		buf_add(b, fence, strlen(fence));
	}
}

int
pos_topic(struct pos *ps, const char *s, size_t n)
{
	size_t i;

	if (n >= POS_TOPICMAX || !pos_name_ok(s, n))
		return -1;
	for (i = 0; i < ps->nt; i++)
		if (strncmp(ps->topic[i], s, n) == 0 && ps->topic[i][n] == '\0')
			return (int)i;
	if (ps->nt == ps->tcap) {
		ps->tcap = ps->tcap ? ps->tcap * 2 : 4;
		ps->topic = kp_xrealloc(ps->topic, ps->tcap *
		    sizeof(*ps->topic));
	}
	memcpy(ps->topic[ps->nt], s, n);
	ps->topic[ps->nt][n] = '\0';
	return (int)ps->nt++;
}

int64_t
pos_after(const struct pos *ps, size_t i)
{
	return ps->p[i].after != POS_NOAFTER && ps->p[i].after > ps->after ?
	    ps->p[i].after : ps->after;
}

int
pos_name_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' &&
		    s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') ||
		    s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return n > 0;
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

/* "[@WM][+NEXT]" at s[*i..n), up to a space or the end */
static int
tail(const char *s, size_t n, size_t *i, int64_t *wm, int64_t *next)
{
	long long v;

	*wm = POS_NOAFTER;
	*next = -1;
	if (*i < n && s[*i] == '@') {
		++*i;
		if (num(s, n, i, " +", INT64_MIN + 1, INT64_MAX, &v) < 0)
			return -1;
		*wm = v;
	}
	if (*i < n && s[*i] == '+') {
		++*i;
		if (num(s, n, i, " ", 0, INT64_MAX, &v) < 0)
			return -1;
		*next = v;
	}
	return *i == n || s[*i] == ' ' ? 0 : -1;
}

void
pos_meta_write(struct buf *b, int64_t after, int64_t wm, int64_t next,
    const char *fence)
{
	if (after != POS_NOAFTER && after != INT64_MIN + 1)
		jw_i64(b, after);
	extra(b, wm, next);
	if (fence != NULL && *fence != '\0') {
		buf_adds(b, " !");
		buf_add(b, fence, strlen(fence));
	}
}

int
pos_meta_parse(const char *s, size_t n, int64_t *after, int64_t *wm,
    int64_t *next, char *fence)
{
	size_t i = 0;
	long long v;

	*after = INT64_MIN;
	*wm = POS_NOAFTER;
	*next = -1;
	if (fence != NULL)
		fence[0] = '\0';
	if (s == NULL || n == 0)
		return 0;
	if (s[0] != '@' && s[0] != '+' && s[0] != ' ') {
		if (num(s, n, &i, " @+", INT64_MIN + 1, INT64_MAX, &v) < 0)
			return -1;
		*after = v;
	}
	if (tail(s, n, &i, wm, next) < 0)
		goto bad;
	if (i < n) {	/* " !FENCE" */
		if (n - i < 3 || s[i + 1] != '!' || n - i - 2 >= POS_FENCEMAX ||
		    !pos_name_ok(s + i + 2, n - i - 2))
			goto bad;
		if (fence != NULL) {
			memcpy(fence, s + i + 2, n - i - 2);
			fence[n - i - 2] = '\0';
		}
	}
	return 0;
bad:
	*after = INT64_MIN;
	*wm = POS_NOAFTER;
	*next = -1;
	if (fence != NULL)
		fence[0] = '\0';
	return -1;
}

int
pos_parse(struct pos *ps, const char *s, size_t n)
{
	size_t i = 0, j;
	long long v;
	int t, bare = 0;	/* a topic named, with no partition yet */

	while (i < n && s[i] != ' ')
		i++;
	ps->nt = 0;
	if (i == n || (t = pos_topic(ps, s, i)) < 0)
		return -1;
	i++;
	if (num(s, n, &i, " ", INT64_MIN + 1, INT64_MAX, &v) < 0)
		return -1;
	ps->after = v;
	ps->fence[0] = '\0';
	ps->n = 0;
	while (i < n) {
		if (s[i++] != ' ')
			return -1;
		if (i < n && s[i] == '!') {	/* the fence ends the text */
			if (bare || n - ++i >= sizeof(ps->fence) ||
			    !pos_name_ok(s + i, n - i))
				return -1;
			memcpy(ps->fence, s + i, n - i);
			ps->fence[n - i] = '\0';
			break;
		}
		for (j = i; j < n && s[j] != ' ' && s[j] != ':'; j++)
			;
		if (j == n || s[j] == ' ') {	/* no ':': a topic */
			if (bare || (t = pos_topic(ps, s + i, j - i)) < 0)
				return -1;
			i = j;
			bare = 1;
			continue;
		}
		if (ps->n == ps->cap) {
			ps->cap = ps->cap ? ps->cap * 2 : 16;
			ps->p = kp_xrealloc(ps->p, ps->cap * sizeof(*ps->p));
		}
		if (num(s, n, &i, ":", 0, INT32_MAX, &v) < 0 || i == n ||
		    s[i++] != ':')
			return -1;
		ps->p[ps->n].t = (uint32_t)t;
		bare = 0;
		ps->p[ps->n].part = (int32_t)v;
		if (num(s, n, &i, " :@+", 0, INT64_MAX, &v) < 0)
			return -1;
		ps->p[ps->n].off = v;
		ps->p[ps->n].after = POS_NOAFTER;
		if (i < n && s[i] == ':') {
			i++;
			if (num(s, n, &i, " @+", INT64_MIN + 1, INT64_MAX,
			    &v) < 0)
				return -1;
			ps->p[ps->n].after = v;
		}
		if (tail(s, n, &i, &ps->p[ps->n].wm, &ps->p[ps->n].next) < 0)
			return -1;
		ps->n++;
	}
	return bare ? -1 : 0;
}

void
pos_free(struct pos *ps)
{
	free(ps->p);
	free(ps->topic);
	ps->p = NULL;
	ps->topic = NULL;
	ps->n = ps->cap = ps->nt = ps->tcap = 0;
}
