/* chart.c - kplot's chart, as text and as SVG: see chart.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "chart.h"
#include "timeu.h"

/* the series' colours (Tableau 10, then two more) and, without colour,
 * their symbols; ANSI colours for the terminal */
static const char *const rgb[CH_MAXSERIES] = {
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
	"#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#1b9e77", "#7570b3"
};
static const char sym[CH_MAXSERIES + 1] = "*+ox#@%&=~^$";
static const char *const ansi[CH_MAXSERIES] = {
	"34", "33", "31", "36", "32", "93", "35", "95", "33;2", "37",
	"32;1", "34;1"
};

/* ---- points --------------------------------------------------------- */

static struct series *
series(struct chart *c, const char *key, size_t klen)
{
	struct series *s;
	int i;

	for (i = 0; i < c->ns; i++)
		if (strncmp(c->s[i].key, key, klen) == 0 &&
		    c->s[i].key[klen] == '\0')
			return &c->s[i];
	if (c->ns == CH_MAXSERIES)
		return NULL;
	s = &c->s[c->ns++];
	memset(s, 0, sizeof(*s));
	s->key = kp_xmalloc(klen + 1);
	memcpy(s->key, key, klen);
	s->key[klen] = '\0';
	return s;
}

int
ch_add(struct chart *c, const char *key, size_t klen, int64_t t, double y)
{
	struct series *s;
	size_t i;

	if ((s = series(c, key, klen)) == NULL) {
		c->dropped++;
		return -1;
	}
	/* in time order: usually at the end; the same time replaces */
	for (i = s->n; i > 0 && s->t[i - 1] > t; i--)
		;
	if (i > 0 && s->t[i - 1] == t) {
		s->y[i - 1] = y;
		return 0;
	}
	if (c->last > 0 && s->n == c->last) {	/* the oldest goes */
		if (i == 0)
			return 0;
		memmove(s->t, s->t + 1, (i - 1) * sizeof(*s->t));
		memmove(s->y, s->y + 1, (i - 1) * sizeof(*s->y));
		s->n--;
		i--;
	} else if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 64;
		s->t = kp_xrealloc(s->t, s->cap * sizeof(*s->t));
		s->y = kp_xrealloc(s->y, s->cap * sizeof(*s->y));
	}
	memmove(s->t + i + 1, s->t + i, (s->n - i) * sizeof(*s->t));
	memmove(s->y + i + 1, s->y + i, (s->n - i) * sizeof(*s->y));
	s->t[i] = t;
	s->y[i] = y;
	s->n++;
	return 0;
}

void
ch_free(struct chart *c)
{
	int i;

	for (i = 0; i < c->ns; i++) {
		free(c->s[i].key);
		free(c->s[i].t);
		free(c->s[i].y);
	}
	c->ns = 0;
}

/* ---- scales --------------------------------------------------------- */

struct scale {
	int64_t		 t0, t1, tstep;	/* time axis and its tick step */
	double		 y0, y1, ystep;	/* value axis, on tick multiples */
};

/* A step of 1, 2 or 5 times a power of ten, about range/n. */
static double
nicestep(double range, int n)
{
	double raw = range / n, p = pow(10, floor(log10(raw))), f = raw / p;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * p;
}

static void
scale(const struct chart *c, struct scale *sc)
{
	static const int64_t steps[] = { 1, 2, 5, 10, 20, 50, 100, 200, 500,
	    1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000,
	    600000, 900000, 1800000, 3600000, 7200000, 10800000, 21600000,
	    43200000, 86400000, 172800000, 604800000 };
	double y0 = 0, y1 = 0;
	int64_t t0 = 0, t1 = 0;
	size_t j, k;
	int i, any = 0;

	for (i = 0; i < c->ns; i++)
		for (j = 0; j < c->s[i].n; j++) {
			if (!any || c->s[i].t[j] < t0)
				t0 = c->s[i].t[j];
			if (!any || c->s[i].t[j] > t1)
				t1 = c->s[i].t[j];
			if (!any || c->s[i].y[j] < y0)
				y0 = c->s[i].y[j];
			if (!any || c->s[i].y[j] > y1)
				y1 = c->s[i].y[j];
			any = 1;
		}
	if (t1 == t0) {
		t0 -= 1000;
		t1 += 1000;
	}
	if (y1 == y0) {
		y0 -= y0 == 0 ? 1 : fabs(y0) / 10;
		y1 += y1 == 0 ? 1 : fabs(y1) / 10;
	}
	sc->t0 = t0;
	sc->t1 = t1;
	for (k = 0; k + 1 < sizeof(steps) / sizeof(steps[0]) &&
	    (t1 - t0) / steps[k] > 6; k++)
		;
	sc->tstep = steps[k];
	sc->ystep = nicestep(y1 - y0, 4);
	sc->y0 = floor(y0 / sc->ystep) * sc->ystep;
	sc->y1 = ceil(y1 / sc->ystep) * sc->ystep;
}

/* A time as the axis shows it: the time of day within a day's range,
 * the date and time beyond; UTC. */
static int
tlabel(char *out, int64_t ms, const struct scale *sc)
{
	char t[TU_FMT_MAX + 1];
	size_t n = tu_fmt(ms, TF_SQL, 0, t);

	t[n] = '\0';
	if (n < 19)
		return snprintf(out, 32, "%s", t);
	if (sc->t1 - sc->t0 < 86400000)
		return snprintf(out, 32, "%.8s", t + 11);
	return snprintf(out, 32, "%.5s %.5s", t + 5, t + 11);
}

static int
ylabel(char *out, double v)
{
	return snprintf(out, 32, "%.6g", fabs(v) < 1e-12 ? 0 : v);
}

/* ---- text ----------------------------------------------------------- */

/* The end of a line: with colour, erase what an earlier frame left to
 * its right. */
static void
eol(struct buf *out, int colour)
{
	if (colour)
		buf_adds(out, "\033[K");
	buf_addc(out, '\n');
}

/* Series i's symbol, in its colour. */
static void
mark(struct buf *out, int i, int colour)
{
	if (colour) {
		buf_adds(out, "\033[");
		buf_add(out, ansi[i], strlen(ansi[i]));
		buf_addc(out, 'm');
	}
	buf_addc(out, sym[i]);
	if (colour)
		buf_adds(out, "\033[0m");
}

/* The legend's entries, "S key" two spaces apart, wrapped at w columns:
 * the number of lines, and with out not NULL, those lines. */
static int
legend(const struct chart *c, struct buf *out, int w, int colour)
{
	int i, col, n, lines = 1;

	for (col = 0, i = 0; i < c->ns; i++) {
		n = (int)strlen(c->s[i].key) + 2;
		if (col > 0 && col + 2 + n > w) {
			lines++;
			col = 0;
			if (out != NULL)
				eol(out, colour);
		} else if (col > 0 && out != NULL)
			buf_adds(out, "  ");
		col += (col > 0 ? 2 : 0) + n;
		if (out == NULL)
			continue;
		mark(out, i, colour);
		buf_addc(out, ' ');
		buf_add(out, c->s[i].key, strlen(c->s[i].key));
	}
	if (out != NULL)
		eol(out, colour);
	return lines;
}

/* The series drawn into pw x ph cells, each point joined to the one
 * before by a straight line: a cell holds 1 + the index of the last
 * series through it, or 0. The caller frees it. */
static unsigned char *
raster(const struct chart *c, const struct scale *sc, int pw, int ph)
{
	unsigned char *cell;
	int i, x0 = 0, y0 = 0, x1, y1, dx, dy, sx, sy, e, e2;
	size_t j;

	cell = kp_xmalloc((size_t)(pw * ph));
	memset(cell, 0, (size_t)(pw * ph));
	for (i = 0; i < c->ns; i++)
		for (j = 0; j < c->s[i].n; j++) {
			x1 = (int)lround((double)(c->s[i].t[j] - sc->t0) /
			    (double)(sc->t1 - sc->t0) * (pw - 1));
			y1 = (int)lround((sc->y1 - c->s[i].y[j]) /
			    (sc->y1 - sc->y0) * (ph - 1));
			if (j == 0) {
				x0 = x1;
				y0 = y1;
			}
			/* Bresenham from the last point to this one */
			dx = abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
			dy = -abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
			for (e = dx + dy;;) {
				cell[y0 * pw + x0] = (unsigned char)(i + 1);
				if (x0 == x1 && y0 == y1)
					break;
				e2 = 2 * e;
				if (e2 >= dy) {
					e += dy;
					x0 += sx;
				}
				if (e2 <= dx) {
					e += dx;
					y0 += sy;
				}
			}
		}
	return cell;
}

/* The time axis below a plot lw + 1 + pw columns wide: a line, then the
 * first and last time at its two ends (w columns in all). */
static void
taxis(struct buf *out, const struct scale *sc, int lw, int pw, int w,
    int colour)
{
	char t[32];
	int col, n;

	for (col = 0; col < lw; col++)
		buf_addc(out, ' ');
	buf_addc(out, '+');
	for (col = 0; col < pw; col++)
		buf_addc(out, '-');
	eol(out, colour);
	n = tlabel(t, sc->t0, sc);
	for (col = 0; col <= lw; col++)
		buf_addc(out, ' ');
	buf_add(out, t, (size_t)n);
	col = lw + 1 + n;
	n = tlabel(t, sc->t1, sc);
	for (; col < w - n; col++)
		buf_addc(out, ' ');
	buf_add(out, t, (size_t)n);
	eol(out, colour);
}

void
ch_text(const struct chart *c, struct buf *out, int w, int h, int colour)
{
	struct scale sc;
	unsigned char *cell;
	char lab[3][32], t[32];
	double y;
	int lw, pw, ph, i, r, col, n;

	if (w < 30)
		w = 30;
	if (h < 8)
		h = 8;
	scale(c, &sc);
	/* h lines: title, plot, axis, times, the legend's lines */
	ph = h - 3 - legend(c, NULL, w, 0);
	if (ph < 4)
		ph = 4;
	lw = 0;
	for (i = 0; i < 3; i++) {
		y = i == 0 ? sc.y1 : i == 1 ? (sc.y0 + sc.y1) / 2 : sc.y0;
		n = ylabel(lab[i], y);
		if (n > lw)
			lw = n;
	}
	pw = w - lw - 1;
	cell = raster(c, &sc, pw, ph);
	if (c->title != NULL)
		buf_add(out, c->title, strlen(c->title) < (size_t)w ?
		    strlen(c->title) : (size_t)w);
	eol(out, colour);
	/* the plot, the top, middle and bottom values at its left */
	for (r = 0; r < ph; r++) {
		i = r == 0 ? 0 : r == ph / 2 ? 1 : r == ph - 1 ? 2 : -1;
		n = snprintf(t, sizeof(t), "%*s|", lw, i >= 0 ? lab[i] : "");
		buf_add(out, t, (size_t)n);
		for (col = 0; col < pw; col++)
			if (cell[r * pw + col] == 0)
				buf_addc(out, ' ');
			else
				mark(out, cell[r * pw + col] - 1, colour);
		eol(out, colour);
	}
	free(cell);
	taxis(out, &sc, lw, pw, w, colour);
	legend(c, out, w, colour);
}

/* ---- SVG ------------------------------------------------------------ */

static void
xml(struct buf *b, const char *s)
{
	for (; *s != '\0'; s++)
		switch (*s) {
		case '<': buf_adds(b, "&lt;"); break;
		case '>': buf_adds(b, "&gt;"); break;
		case '&': buf_adds(b, "&amp;"); break;
		case '"': buf_adds(b, "&quot;"); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				buf_addc(b, *s);
		}
}

static void
pr(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
pr(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(b, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
ch_svg(const struct chart *c, struct buf *b, int w, int h)
{
	const int ml = 70, mr = 150, mt = 34, mb = 46;
	const int pw = w - ml - mr, ph = h - mt - mb;
	struct scale sc;
	char t[32];
	double v, x, y;
	int64_t tk;
	size_t j;
	int i;

	scale(c, &sc);
	pr(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
	    "height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" "
	    "font-size=\"12\">\n", w, h, w, h);
	pr(b, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>\n", w, h);
	buf_adds(b, "<text x=\"10\" y=\"20\" font-size=\"14\">");
	xml(b, c->title ? c->title : "");
	buf_adds(b, "</text>\n");
	/* value grid and labels */
	for (v = sc.y0; v <= sc.y1 + sc.ystep / 2; v += sc.ystep) {
		y = mt + (sc.y1 - v) / (sc.y1 - sc.y0) * ph;
		ylabel(t, v);
		pr(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
		    "stroke=\"#ddd\"/>\n<text x=\"%d\" y=\"%.1f\" "
		    "text-anchor=\"end\">%s</text>\n", ml, y, ml + pw, y,
		    ml - 6, y + 4, t);
	}
	/* time grid and labels, on multiples of the step */
	for (tk = (sc.t0 + sc.tstep - 1) / sc.tstep * sc.tstep; tk <= sc.t1;
	    tk += sc.tstep) {
		x = ml + (double)(tk - sc.t0) / (double)(sc.t1 - sc.t0) * pw;
		tlabel(t, tk, &sc);
		pr(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
		    "stroke=\"#ddd\"/>\n<text x=\"%.1f\" y=\"%d\" "
		    "text-anchor=\"middle\">%s</text>\n", x, mt, x, mt + ph,
		    x, mt + ph + 18, t);
	}
	pr(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" "
	    "fill=\"none\" stroke=\"#444\"/>\n", ml, mt, pw, ph);
	pr(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#444\">"
	    "UTC</text>\n", ml + pw / 2, h - 8);
	for (i = 0; i < c->ns; i++) {
		pr(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"1.5\" "
		    "points=\"", rgb[i]);
		for (j = 0; j < c->s[i].n; j++)
			pr(b, "%s%.1f,%.1f", j ? " " : "", ml +
			    (double)(c->s[i].t[j] - sc.t0) /
			    (double)(sc.t1 - sc.t0) * pw, mt +
			    (sc.y1 - c->s[i].y[j]) / (sc.y1 - sc.y0) * ph);
		buf_adds(b, "\"/>\n");
		if (c->s[i].n <= 100)
			for (j = 0; j < c->s[i].n; j++)
				pr(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" "
				    "fill=\"%s\"/>\n", ml +
				    (double)(c->s[i].t[j] - sc.t0) /
				    (double)(sc.t1 - sc.t0) * pw, mt +
				    (sc.y1 - c->s[i].y[j]) / (sc.y1 - sc.y0) *
				    ph, rgb[i]);
		pr(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" "
		    "fill=\"%s\"/>\n<text x=\"%d\" y=\"%d\">", ml + pw + 16,
		    mt + i * 20, rgb[i], ml + pw + 34, mt + i * 20 + 10);
		xml(b, c->s[i].key);
		buf_adds(b, "</text>\n");
	}
	buf_adds(b, "</svg>\n");
}
