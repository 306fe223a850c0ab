/* Unit tests for common/pos.c: a job's position, written and read back. */
#include "check.h"
#include "pos.h"

static int
parse(struct pos *ps, const char *s)
{
	return pos_parse(ps, s, strlen(s));
}

int
main(void)
{
	struct pos_part p[] = { { 0, 0, 12, POS_NOAFTER, POS_NOAFTER, -1 },
	    { 0, 7, 0, 5, POS_NOAFTER, -1 },
	    { 0, 3, 9223372036854775807LL, POS_NOAFTER, POS_NOAFTER, -1 } };
	int64_t after, wm, next;
	char fence[POS_FENCEMAX];
	struct buf b = { 0 };
	struct pos ps = { 0 }, names = { 0 };

	check(pos_topic(&names, "sales-usd", 9) == 0);
	pos_write(&b, &names, 1713654891000LL, p, 3, NULL);
	check(b.len == strlen("sales-usd 1713654891000 0:12 7:0 3:9223372036854775807") &&
	    memcmp(b.p, "sales-usd 1713654891000 0:12 7:0 3:9223372036854775807",
	    b.len) == 0);
	check(pos_parse(&ps, b.p, b.len) == 0);
	check(ps.nt == 1 && strcmp(ps.topic[0], "sales-usd") == 0 &&
	    ps.after == 1713654891000LL);
	check(ps.n == 3 && ps.p[0].part == 0 && ps.p[0].off == 12 &&
	    ps.p[1].part == 7 && ps.p[1].off == 0 &&
	    ps.p[2].off == 9223372036854775807LL);
	check(parse(&ps, "t -5") == 0 && ps.after == -5 && ps.n == 0);
	check(parse(&ps, "t 1 2:3") == 0 && ps.n == 1 && ps.p[0].part == 2);
	check(parse(&ps, "") == -1);
	check(parse(&ps, "t") == -1);
	check(parse(&ps, "t ") == -1);
	check(parse(&ps, " 1") == -1);
	check(parse(&ps, "t x") == -1);
	check(parse(&ps, "t 1 ") == -1);
	check(parse(&ps, "t 1 2") == -1);
	check(parse(&ps, "t 1 2:") == -1);
	check(parse(&ps, "t 1 :3") == -1);
	check(parse(&ps, "t 1 -2:3") == -1);
	check(parse(&ps, "t 1 2:-3") == -1);
	check(parse(&ps, "t 1 2:3  4:5") == -1);
	check(parse(&ps, "t 1 2:3x") == -1);
	/* a partition's own after, and a fence */
	p[1].after = 1713654897000LL;
	b.len = 0;
	names.nt = 0;
	check(pos_topic(&names, "t", 1) == 0);
	pos_write(&b, &names, 1713654891000LL, p, 2, "9.1");
	check(b.len == strlen("t 1713654891000 0:12 7:0:1713654897000 !9.1") &&
	    memcmp(b.p, "t 1713654891000 0:12 7:0:1713654897000 !9.1",
	    b.len) == 0);
	check(pos_parse(&ps, b.p, b.len) == 0 && ps.n == 2 &&
	    strcmp(ps.fence, "9.1") == 0 && pos_after(&ps, 0) == 1713654891000LL &&
	    pos_after(&ps, 1) == 1713654897000LL && ps.p[1].off == 0);
	check(parse(&ps, "t 5 1:2:3") == 0 && pos_after(&ps, 0) == 5);
	check(parse(&ps, "t 5 !f") == 0 && ps.n == 0 && strcmp(ps.fence, "f") == 0);
	check(parse(&ps, "t 5 1:2 !f") == 0 && ps.n == 1 && ps.fence[0] == 'f');
	check(parse(&ps, "t 5 1:2") == 0 && ps.fence[0] == '\0');
	check(parse(&ps, "t 5 1:2 !") == -1);
	check(parse(&ps, "t 5 1:2 !a b") == -1);
	check(parse(&ps, "t 5 1:2:") == -1);
	check(parse(&ps, "t 5 1:2:3:4") == -1);
	check(parse(&ps, "t 5 1:2 !a\"b") == -1);
	check(parse(&ps, "t\001 5") == -1);
	check(parse(&ps, "sales.usd_v-2 5") == 0);
	/* several topics, each named before its partitions */
	check(pos_topic(&names, "u", 1) == 1 && pos_topic(&names, "t", 1) == 0 &&
	    pos_topic(&names, "a b", 3) == -1 && names.nt == 2);
	p[1].t = 1;
	p[2].t = 1;
	p[1].after = POS_NOAFTER;
	b.len = 0;
	pos_write(&b, &names, 5, p, 3, "f");
	check(b.len == strlen("t 5 0:12 u 7:0 3:9223372036854775807 !f") &&
	    memcmp(b.p, "t 5 0:12 u 7:0 3:9223372036854775807 !f", b.len) == 0);
	check(pos_parse(&ps, b.p, b.len) == 0 && ps.nt == 2 && ps.n == 3 &&
	    ps.p[0].t == 0 && ps.p[1].t == 1 && ps.p[2].t == 1 &&
	    ps.p[1].part == 7 && strcmp(ps.topic[1], "u") == 0);
	/* the first topic with none of its own */
	p[0].t = 1;
	b.len = 0;
	pos_write(&b, &names, 5, p, 1, NULL);
	check(b.len == 10 && memcmp(b.p, "t 5 u 0:12", 10) == 0);
	check(pos_parse(&ps, b.p, b.len) == 0 && ps.nt == 2 && ps.n == 1 &&
	    ps.p[0].t == 1);
	check(parse(&ps, "t 5 0:1 t 1:2") == 0 && ps.nt == 1 && ps.n == 2);
	check(parse(&ps, "t 5 0:1 u") == -1);	/* a topic, no partition */
	check(parse(&ps, "t 5 u v 0:1") == -1);
	check(parse(&ps, "t 5 u !f") == -1);
	check(parse(&ps, "t 5 0:1 a/b 0:1") == -1);
	check(parse(&ps, "12 5 34 0:1") == 0 && strcmp(ps.topic[1], "34") == 0);
	names.nt = 0;
	b.len = 0;
	pos_write(&b, &names, 5, NULL, 0, NULL);	/* no topic known */
	check(b.len == 3 && memcmp(b.p, "- 5", 3) == 0);
	check(pos_name_ok("a", 1) && !pos_name_ok("", 0) && !pos_name_ok("a/b", 3));
	/* a job whose windows stay open after they are written: each
	 * partition's WM and NEXT, in the text and in commit metadata */
	names.nt = 0;
	check(pos_topic(&names, "t", 1) == 0);
	p[0].t = p[1].t = 0;
	p[0].wm = 1000;
	p[0].next = 40;
	p[1].after = 9;
	p[1].wm = -3;
	b.len = 0;
	pos_write(&b, &names, 5, p, 2, "f");
	check(b.len == strlen("t 5 0:12@1000+40 7:0:9@-3 !f") &&
	    memcmp(b.p, "t 5 0:12@1000+40 7:0:9@-3 !f", b.len) == 0);
	check(pos_parse(&ps, b.p, b.len) == 0 && ps.n == 2 &&
	    ps.p[0].off == 12 && ps.p[0].wm == 1000 && ps.p[0].next == 40 &&
	    ps.p[0].after == POS_NOAFTER && ps.p[1].after == 9 &&
	    ps.p[1].wm == -3 && ps.p[1].next == -1 && ps.fence[0] == 'f');
	check(parse(&ps, "t 5 0:12+40") == 0 && ps.p[0].wm == POS_NOAFTER &&
	    ps.p[0].next == 40);
	check(parse(&ps, "t 5 0:12") == 0 && ps.p[0].wm == POS_NOAFTER &&
	    ps.p[0].next == -1);
	check(parse(&ps, "t 5 0:12+") == -1);
	check(parse(&ps, "t 5 0:12@") == -1);
	check(parse(&ps, "t 5 0:12+4@5") == -1);	/* WM first */
	check(parse(&ps, "t 5 0:12+-4") == -1);
	check(parse(&ps, "t 5 0:12@5x") == -1);
	b.len = 0;
	pos_meta_write(&b, 1700, 1800, 55, "g.1");
	check(b.len == 17 && memcmp(b.p, "1700@1800+55 !g.1", 17) == 0);
	check(pos_meta_parse(b.p, b.len, &after, &wm, &next, fence) == 0 &&
	    after == 1700 && wm == 1800 && next == 55 &&
	    strcmp(fence, "g.1") == 0);
	b.len = 0;
	pos_meta_write(&b, INT64_MIN + 1, POS_NOAFTER, -1, "g");
	check(b.len == 3 && memcmp(b.p, " !g", 3) == 0);
	check(pos_meta_parse(b.p, b.len, &after, &wm, &next, fence) == 0 &&
	    after == INT64_MIN && wm == POS_NOAFTER && next == -1 &&
	    strcmp(fence, "g") == 0);
	check(pos_meta_parse("1700", 4, &after, &wm, &next, NULL) == 0 &&
	    after == 1700 && wm == POS_NOAFTER && next == -1);
	check(pos_meta_parse(NULL, 0, &after, &wm, &next, fence) == 0 &&
	    after == INT64_MIN && fence[0] == '\0');
	check(pos_meta_parse("+7", 2, &after, &wm, &next, NULL) == 0 &&
	    after == INT64_MIN && next == 7);
	check(pos_meta_parse("x", 1, &after, &wm, &next, fence) == -1 &&
	    after == INT64_MIN);
	check(pos_meta_parse("17 !", 4, &after, &wm, &next, fence) == -1);
	check(pos_meta_parse("17@3 g", 6, &after, &wm, &next, fence) == -1 &&
	    wm == POS_NOAFTER);
	pos_free(&names);
	buf_free(&b);
	pos_free(&ps);
	return check_done("pos");
}
