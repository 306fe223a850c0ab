/* Unit tests for common/ctl.c: the control lines of an exactly-once
 * stream, written and read back, and told from records. */
#include "check.h"
#include "ctl.h"

static enum ctl_kind
kind(const char *s)
{
	return ctl_kind(s, strlen(s));
}

int
main(void)
{
	struct buf b = { 0 }, o = { 0 };
	struct ctl_job j;
	char why[160];
	const char *s, *t;
	size_t tl;
	int32_t p;
	int64_t off;
	const unsigned char gm[] = { 0, 1, 2, 250 };

	ctl_job(&b, "cpm", "clicks", "kappa-pipes.cpm.h.1");
	check(b.len > 0 && b.p[b.len - 1] == '\n');
	check(ctl_kind(b.p, b.len - 1) == CTL_JOB);
	check(ctl_job_parse(b.p, b.len - 1, &j, why, sizeof(why)) == 0);
	check(strcmp(j.group, "cpm") == 0 && strcmp(j.topic, "clicks") == 0 &&
	    strcmp(j.txn, "kappa-pipes.cpm.h.1") == 0);
	s = "{\"kp_control\":\"job\",\"group\":\"g\"}";
	check(ctl_job_parse(s, strlen(s), &j, why, sizeof(why)) == -1 &&
	    strstr(why, "no group") != NULL);

	b.len = 0;
	ctl_at(&b, NULL, 3, 9223372036854775807LL);
	check(ctl_kind(b.p, b.len - 1) == CTL_AT);
	check(ctl_at_parse(b.p, b.len - 1, &t, &tl, &p, &off) == 0 && p == 3 &&
	    off == 9223372036854775807LL && t == NULL);
	s = "{\"kp_control\":\"at\",\"partition\":1,\"offset\":}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"partition\":-1,\"offset\":2}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"partition\":1,\"offset\":2} ";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"partition\":1,\"offset\":2}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == 0 && p == 1 &&
	    off == 2);
	/* with its topic: several topics, or a pattern */
	b.len = 0;
	ctl_at(&b, "clicks.v2", 0, 7);
	check(b.len == strlen("{\"kp_control\":\"at\",\"topic\":\"clicks.v2\","
	    "\"partition\":0,\"offset\":7}\n"));
	check(ctl_at_parse(b.p, b.len - 1, &t, &tl, &p, &off) == 0 && p == 0 &&
	    off == 7 && tl == 9 && memcmp(t, "clicks.v2", 9) == 0);
	s = "{\"kp_control\":\"at\",\"topic\":\"\",\"partition\":1,\"offset\":2}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"topic\":\"a b\",\"partition\":1,\"offset\":2}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"topic\":\"a\"\"partition\":1,\"offset\":2}";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);
	s = "{\"kp_control\":\"at\",\"topic\":\"a";
	check(ctl_at_parse(s, strlen(s), &t, &tl, &p, &off) == -1);

	b.len = 0;
	ctl_member(&b, gm, sizeof(gm));
	check(ctl_kind(b.p, b.len - 1) == CTL_MEMBER);
	check(ctl_member_parse(b.p, b.len - 1, &o) == 0 && o.len == 4 &&
	    memcmp(o.p, gm, 4) == 0);

	b.len = 0;
	ctl_assign(&b, "t", 2, -1, INT64_MIN, INT64_MIN, -1);
	check(b.len == strlen("{\"kp_control\":\"assign\",\"topic\":\"t\","
	    "\"partition\":2}\n"));
	check(ctl_kind(b.p, b.len - 1) == CTL_ASSIGN);
	b.len = 0;
	ctl_assign(&b, "t", 2, 7, 1000, INT64_MIN, -1);
	check(memcmp(b.p, "{\"kp_control\":\"assign\",\"topic\":\"t\","
	    "\"partition\":2,\"offset\":7,\"after\":1000}\n", b.len) == 0);
	b.len = 0;
	ctl_assign(&b, "t", 2, 7, 1000, 1200, 9);
	check(b.len == strlen("{\"kp_control\":\"assign\",\"topic\":\"t\","
	    "\"partition\":2,\"offset\":7,\"after\":1000,\"wm\":1200,"
	    "\"next\":9}\n") && memcmp(b.p, "{\"kp_control\":\"assign\","
	    "\"topic\":\"t\",\"partition\":2,\"offset\":7,\"after\":1000,"
	    "\"wm\":1200,\"next\":9}\n", b.len) == 0);
	b.len = 0;
	ctl_revoke(&b, "t", "f.1", NULL);
	check(ctl_kind(b.p, b.len - 1) == CTL_REVOKE);
	check(b.len == strlen("{\"kp_control\":\"revoke\",\"topic\":\"t\","
	    "\"fence\":\"f.1\"}\n"));
	b.len = 0;
	ctl_revoke(&b, "t", "f.1", "t:0 u:3");
	check(b.len == strlen("{\"kp_control\":\"revoke\",\"topic\":\"t\","
	    "\"fence\":\"f.1\",\"go\":\"t:0 u:3\"}\n") && memcmp(b.p,
	    "{\"kp_control\":\"revoke\",\"topic\":\"t\",\"fence\":\"f.1\","
	    "\"go\":\"t:0 u:3\"}\n", b.len) == 0);

	check(kind(CTL_SKIP_LINE) == CTL_SKIP);
	check(kind("{\"kp_control\":\"position\",\"position\":\"t 1 0:2\"}") ==
	    CTL_POSITION);
	check(kind("{\"kp_control\":\"fence\",\"position\":\"t 1 0:2 !f\"}") ==
	    CTL_POSITION);
	check(kind("{\"kp_control\":\"atx\"}") == CTL_OTHER);
	check(kind("{\"kp_control\":1}") == CTL_OTHER);
	check(kind("{\"at\":1}") == CTL_NONE);
	check(kind("{\"kp_controller\":\"at\"}") == CTL_NONE);
	check(kind("") == CTL_NONE);
	buf_free(&b);
	buf_free(&o);
	return check_done("ctl");
}
