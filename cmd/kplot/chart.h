/* chart.h - kplot's chart: series of (time, value) points, one a key,
 * drawn as text (for a terminal, with or without ANSI colours) or as an
 * SVG document. Points are kept in time order; a second point at the
 * same time replaces the first (a window emitted again, updated). */
#ifndef CHART_H
#define CHART_H

#include <stddef.h>
#include <stdint.h>

#include "kp.h"

#define CH_MAXSERIES	12	/* colours and symbols to tell them apart */

struct series {
	char		*key;
	int64_t		*t;
	double		*y;
	size_t		 n, cap;
};

struct chart {
	struct series	 s[CH_MAXSERIES];
	int		 ns;
	size_t		 last;		/* points kept a series; 0: all */
	const char	*title;
	unsigned long long dropped;	/* points of series past the last */
};

/* Add a point to the series of key[0..klen) (created on first use).
 * 0, or -1 when that would be series CH_MAXSERIES + 1 (not added). */
int	ch_add(struct chart *, const char *key, size_t klen, int64_t t,
	    double y);
/* The chart as w x h characters, lines ending in "\n"; with colour,
 * ANSI colours, and each line cleared to its end (for a redraw in
 * place). Appended to out. */
void	ch_text(const struct chart *, struct buf *out, int w, int h,
	    int colour);
/* The chart as an SVG document of w x h pixels, appended to out. */
void	ch_svg(const struct chart *, struct buf *out, int w, int h);
void	ch_free(struct chart *);

#endif
