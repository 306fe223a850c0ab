/* Unit tests for common/sreg.c's references: the order they are
 * gathered in (each after those it references), a subject version met
 * twice (a diamond) taken once, a cycle refused, the messages. The
 * answers are put in the client's cache, which is asked before the
 * registry, so no registry is reached: sreg.c is included for its
 * static refs(). (tests/kafka/references.sh runs them against a real
 * registry, which cannot hold a cycle: it refuses a reference to a
 * version it does not have.) */
#include "../../common/sreg.c"

#include "check.h"

/* subject's version ver answered with the JSON text answer */
static void
put(struct sreg *sr, const char *key, const char *answer)
{
	const char *sp[] = { "schema", NULL };
	yajl_val t = yajl_tree_parse(answer, NULL, 0);

	if (t == NULL)
		abort();
	sr->ref = kp_xrealloc(sr->ref, (sr->nref + 1) * sizeof(*sr->ref));
	sr->ref[sr->nref].key = kp_xstrdup(key);
	sr->ref[sr->nref].tree = t;
	sr->ref[sr->nref].schema = YAJL_GET_STRING(yajl_tree_get(t, sp,
	    yajl_t_string));
	sr->ref[sr->nref++].busy = 0;
}

/* the references rv (JSON text) gathered: "NAME=SCHEMA ..." or "ERR: " */
static const char *
gather(struct sreg *sr, const char *rv)
{
	static char out[512];
	struct deps d = { 0 };
	yajl_val t = yajl_tree_parse(rv, NULL, 0);
	size_t k = 0;
	int i;

	out[0] = '\0';
	if (refs(sr, t, &d, 0, out + 5, sizeof(out) - 5) < 0)
		memcpy(out, "ERR: ", 5);
	else
		for (i = 0; i < d.n; i++)
			k += (size_t)snprintf(out + k, sizeof(out) - k, "%s%s=%s",
			    i ? " " : "", d.av[i].name, d.pb[i].text);
	for (i = 0; i < sr->nref; i++)
		check(!sr->ref[i].busy);
	free(d.av);
	free(d.pb);
	free(d.ri);
	yajl_tree_free(t);
	return out;
}

int
main(void)
{
	struct sreg sr;

	memset(&sr, 0, sizeof(sr));
	put(&sr, "money\n1", "{\"schema\":\"M\"}");
	put(&sr, "place\n1", "{\"schema\":\"P\",\"references\":[{\"name\":"
	    "\"geo.Money\",\"subject\":\"money\",\"version\":1}]}");
	put(&sr, "place\nlatest", "{\"schema\":\"P2\"}");
	put(&sr, "a\n1", "{\"schema\":\"A\",\"references\":[{\"name\":\"B\","
	    "\"subject\":\"b\",\"version\":1}]}");
	put(&sr, "b\n1", "{\"schema\":\"B\",\"references\":[{\"name\":\"C\","
	    "\"subject\":\"c\",\"version\":1}]}");
	put(&sr, "c\n1", "{\"schema\":\"C\",\"references\":[{\"name\":\"A\","
	    "\"subject\":\"a\",\"version\":1}]}");
	put(&sr, "self\n3", "{\"schema\":\"S\",\"references\":[{\"name\":"
	    "\"S\",\"subject\":\"self\",\"version\":3}]}");

	check_str(gather(&sr, "[]"), "");
	/* each after those it references */
	check_str(gather(&sr, "[{\"name\":\"geo.Place\",\"subject\":\"place\","
	    "\"version\":1}]"), "geo.Money=M geo.Place=P");
	/* a diamond: money met twice, once through place */
	check_str(gather(&sr, "[{\"name\":\"geo.Place\",\"subject\":\"place\","
	    "\"version\":1},{\"name\":\"geo.Money\",\"subject\":\"money\","
	    "\"version\":1}]"), "geo.Money=M geo.Place=P");
	check_str(gather(&sr, "[{\"name\":\"geo.Money\",\"subject\":\"money\","
	    "\"version\":1},{\"name\":\"geo.Place\",\"subject\":\"place\","
	    "\"version\":1}]"), "geo.Money=M geo.Place=P");
	/* version -1: the latest */
	check_str(gather(&sr, "[{\"name\":\"P\",\"subject\":\"place\","
	    "\"version\":-1}]"), "P=P2");
	/* cycles */
	check_str(gather(&sr, "[{\"name\":\"A\",\"subject\":\"a\",\"version\":1}]"),
	    "ERR: reference A (subject a version 1) refers back to itself: "
	    "a cycle");
	check_str(gather(&sr, "[{\"name\":\"S\",\"subject\":\"self\",\"version\":3}]"),
	    "ERR: reference S (subject self version 3) refers back to itself: "
	    "a cycle");
	/* bad references */
	check_str(gather(&sr, "[{\"name\":\"X\",\"subject\":\"x\"}]"),
	    "ERR: a reference without a name, a subject and a version");
	check_str(gather(&sr, "[{\"name\":\"X\",\"subject\":\"x\",\"version\":true}]"),
	    "ERR: a reference without a name, a subject and a version");
	sreg_close(&sr);
	return check_done("sreg");
}
