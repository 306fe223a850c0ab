/* optcases.h - every row of a tool's option table (opt.h), enumerated:
 * test_opt_TOOL.c includes cmd/TOOL/TOOL.c (its static table and
 * plan()) and this driver, which runs the tool's plan() in a child
 * process for each case:
 *
 *   good   a base command line, the row with a good argument and what
 *          it needs: accepted (exit 0);
 *   bad    each bad argument of its kind (not a number, out of range,
 *          not a duration, not a time, not one of the names): exit 64
 *          and a message naming the option;
 *   needs  each option it needs left out: exit 64 naming the option;
 *   excl   each option it excludes added: exit 64 naming one of them;
 *   help   --help (usage(stdout)) names it, as man-sync holds the man
 *          page to the usage text;
 *   pairs  every two rows neither of which excludes the other, each with
 *          what it needs, on a base line both fit: accepted (exit 0), or
 *          refused (exit 64) when the tool lists the pair as refused by
 *          a rule the table cannot say.
 *
 * A base is the first of the tool's command lines that holds neither the
 * row nor an option either excludes. Arguments starting with "@/" are
 * paths in the source tree (the test runs at its top); the children run
 * in a temporary folder. */
#ifndef OPTCASES_H
#define OPTCASES_H

#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

#define OC_MAXARGS	64

/* A good argument of a row, where "x" (text), min (numbers), "1s"
 * (durations), "0" (times) or the first name would not do; bad, when
 * not NULL, one more bad argument (a KA_STR row's); with, when not NULL,
 * options ("--name arg ...") its good line needs beyond the table's;
 * base, when not 0, the base line its cases start from (1: the first). */
struct oc_arg {
	const char	*name;
	const char	*good, *bad;
	const char	*with;
	int		 base;
};

struct oc_tool {
	const char	*name;
	const struct kp_opt *tab;
	const char *const *const *bases;	/* NULL-ended lines */
	const struct oc_arg *args;		/* NULL-ended by name */
	void		(*plan)(int argc, char **argv);
	void		(*usage)(FILE *);
	const char *const *refused;	/* "a b": pairs plan() refuses,
					   NULL-ended */
};

static char oc_root[PATH_MAX], oc_tmp[PATH_MAX];
static int oc_cases;

static const struct kp_opt *
oc_row(const struct oc_tool *t, const char *name, size_t n)
{
	const struct kp_opt *o;

	for (o = t->tab; o->name != NULL; o++)
		if (strncmp(o->name, name, n) == 0 && o->name[n] == '\0')
			return o;
	fprintf(stderr, "%s: no option %.*s\n", t->name, (int)n, name);
	exit(1);
}

/* Is row o in the space-separated list l? */
static int
oc_in(const struct kp_opt *o, const char *l)
{
	size_t n = strlen(o->name);

	for (; l != NULL && *l != '\0'; l += strcspn(l, " ")) {
		l += strspn(l, " ");
		if (strncmp(l, o->name, n) == 0 && (l[n] == ' ' || l[n] == '\0'))
			return 1;
	}
	return 0;
}

static int
oc_clash(const struct kp_opt *a, const struct kp_opt *b)
{
	return a == b || oc_in(a, b->excludes) || oc_in(b, a->excludes);
}

static const char *
oc_good(const struct oc_tool *t, const struct kp_opt *o)
{
	static char s[2][PATH_MAX + 64];
	static int k;
	const struct oc_arg *a;
	const char *g = NULL;

	for (a = t->args; a->name != NULL; a++)
		if (strcmp(a->name, o->name) == 0 && a->good != NULL)
			g = a->good;
	k = !k;
	if (g != NULL && strncmp(g, "@/", 2) == 0)
		snprintf(s[k], sizeof(s[k]), "%s%s", oc_root, g + 1);
	else if (g != NULL)
		snprintf(s[k], sizeof(s[k]), "%s", g);
	else if (o->kind == KA_INT)
		snprintf(s[k], sizeof(s[k]), "%lld", o->min);
	else if (o->kind == KA_DUR)
		snprintf(s[k], sizeof(s[k]), "1s");
	else if (o->kind == KA_TIME)
		snprintf(s[k], sizeof(s[k]), "0");
	else if (o->kind == KA_ENUM)
		snprintf(s[k], sizeof(s[k]), "%s", o->names[0]);
	else
		snprintf(s[k], sizeof(s[k]), "x");
	return s[k];
}

/* A command line being made: the rows in it, and its words. */
struct oc_line {
	const struct kp_opt *rows[OC_MAXARGS];
	int		 nrows;
	char		*argv[OC_MAXARGS + 1];
	int		 argc;
	char		 buf[8192];
	size_t		 used;
};

static void
oc_word(struct oc_line *l, const char *w)
{
	size_t n = strlen(w) + 1;

	if (l->argc == OC_MAXARGS || l->used + n > sizeof(l->buf)) {
		fprintf(stderr, "optcases: line too long\n");
		exit(1);
	}
	l->argv[l->argc++] = memcpy(l->buf + l->used, w, n);
	l->argv[l->argc] = NULL;
	l->used += n;
}

static int
oc_has(const struct oc_line *l, const struct kp_opt *o)
{
	int i;

	for (i = 0; i < l->nrows; i++)
		if (l->rows[i] == o)
			return 1;
	return 0;
}

/* Row o with argument arg (NULL: a good one) and, unless leave, what it
 * needs, but never the row leave. */
static void
oc_add(const struct oc_tool *t, struct oc_line *l, const struct kp_opt *o,
    const char *arg, const struct kp_opt *leave)
{
	const char *s;
	char w[128];
	size_t n;

	if (oc_has(l, o) || o == leave)
		return;
	l->rows[l->nrows++] = o;
	snprintf(w, sizeof(w), "--%s", o->name);
	oc_word(l, w);
	if (o->kind != KA_NONE)
		oc_word(l, arg != NULL ? arg : oc_good(t, o));
	for (s = o->needs; s != NULL && *s != '\0'; s += n) {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0)
			oc_add(t, l, oc_row(t, s, n), NULL, leave);
	}
}

/* The words of row o's "with" (struct oc_arg) into the line. */
static void
oc_with(const struct oc_tool *t, struct oc_line *l, const struct kp_opt *o)
{
	const struct oc_arg *a;
	const struct kp_opt *r;
	char w[256], *s, *save = NULL;

	for (a = t->args; a->name != NULL; a++) {
		if (strcmp(a->name, o->name) != 0 || a->with == NULL)
			continue;
		snprintf(w, sizeof(w), "%s", a->with);
		for (s = strtok_r(w, " ", &save); s != NULL;
		    s = strtok_r(NULL, " ", &save)) {
			r = oc_row(t, s + 2, strlen(s + 2));
			if (oc_has(l, r)) {	/* again: a repeatable option */
				oc_word(l, s);
				if (r->kind != KA_NONE)
					oc_word(l, strtok_r(NULL, " ", &save));
			} else
				oc_add(t, l, r, r->kind == KA_NONE ? NULL :
				    strtok_r(NULL, " ", &save), NULL);
		}
	}
}

/* What every row of the line needs, but leave. */
static void
oc_close(const struct oc_tool *t, struct oc_line *l,
    const struct kp_opt *leave)
{
	const char *s;
	size_t n;
	int i;

	for (i = 0; i < l->nrows; i++)
		for (s = l->rows[i]->needs; s != NULL && *s != '\0'; s += n) {
			s += strspn(s, " ");
			n = strcspn(s, " ");
			if (n > 0)
				oc_add(t, l, oc_row(t, s, n), NULL, leave);
		}
}

/* Does the line clash with row o (or what it needs, deep levels down)? */
static int
oc_fits(const struct oc_tool *t, const struct oc_line *l,
    const struct kp_opt *o, int deep)
{
	const char *s;
	size_t n;
	int i;

	for (i = 0; i < l->nrows; i++)
		if (oc_clash(l->rows[i], o))
			return 0;
	for (s = deep > 0 ? o->needs : NULL; s != NULL && *s != '\0'; s += n) {
		s += strspn(s, " ");
		n = strcspn(s, " ");
		if (n > 0 && !oc_has(l, oc_row(t, s, n)) &&
		    !oc_fits(t, l, oc_row(t, s, n), deep - 1))
			return 0;
	}
	return 1;
}

/* The base line row o's cases start from (1: the first), or 0: any. */
static int
oc_pinned(const struct oc_tool *t, const struct kp_opt *o)
{
	const struct oc_arg *a;

	for (a = t->args; a->name != NULL; a++)
		if (strcmp(a->name, o->name) == 0 && a->base > 0)
			return a->base;
	return 0;
}

/* A base line for row a (and b, when not NULL) without row avoid: 0, or
 * -1 when none fits. Deep: what a and b need fits too. */
static int
oc_base(const struct oc_tool *t, struct oc_line *l, const struct kp_opt *a,
    const struct kp_opt *b, const struct kp_opt *avoid, int deep)
{
	const char *const *const *base;
	const char *const *w;
	char path[PATH_MAX + 8];

	for (base = t->bases; *base != NULL; base++) {
		if ((oc_pinned(t, a) > 0 && base - t->bases !=
		    oc_pinned(t, a) - 1) || (b != NULL && oc_pinned(t, b) > 0 &&
		    base - t->bases != oc_pinned(t, b) - 1))
			continue;
		memset(l, 0, sizeof(*l));
		oc_word(l, t->name);
		for (w = *base; *w != NULL; w++) {
			snprintf(path, sizeof(path), "%s%s", oc_root, *w + 1);
			oc_word(l, strncmp(*w, "@/", 2) == 0 ? path : *w);
			if (strncmp(*w, "--", 2) == 0)	/* long names only */
				l->rows[l->nrows++] = oc_row(t, *w + 2,
				    strlen(*w + 2));
		}
		if (oc_fits(t, l, a, deep) && (b == NULL ||
		    oc_fits(t, l, b, deep)) &&
		    (avoid == NULL || !oc_has(l, avoid)))
			return 0;
	}
	return -1;
}

/* Run the line's plan() in a child: its exit status, its stderr in err. */
static int
oc_run(const struct oc_tool *t, struct oc_line *l, char *err, size_t n)
{
	char path[PATH_MAX + 8];
	ssize_t got;
	pid_t pid;
	int fd, st;

	oc_cases++;
	snprintf(path, sizeof(path), "%s/err", oc_tmp);
	fflush(NULL);
	if ((pid = fork()) < 0) {
		perror("fork");
		exit(1);
	}
	if (pid == 0) {
		if (chdir(oc_tmp) < 0 || (fd = open("/dev/null", O_RDWR)) < 0)
			_exit(99);
		dup2(fd, 0);
		dup2(fd, 1);
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
			_exit(99);
		dup2(fd, 2);
		alarm(10);
		optind = 1;
		t->plan(l->argc, l->argv);
		_exit(0);
	}
	waitpid(pid, &st, 0);
	err[0] = '\0';
	if ((fd = open(path, O_RDONLY)) >= 0) {
		got = read(fd, err, n - 1);
		err[got > 0 ? got : 0] = '\0';
		close(fd);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
oc_show(const char *tool, const char *what, const struct oc_line *l, int rc,
    const char *err)
{
	int i;

	fprintf(stderr, "%s: %s: exit %d:", tool, what, rc);
	for (i = 1; i < l->argc; i++)
		fprintf(stderr, " %s", l->argv[i]);
	fprintf(stderr, "\n  stderr: %s\n", err);
}

/* Does err name row o, as -l or --name? */
static int
oc_names(const char *err, const struct kp_opt *o)
{
	char w[80];

	snprintf(w, sizeof(w), "--%s", o->name);
	if (strstr(err, w) != NULL)
		return 1;
	snprintf(w, sizeof(w), "-%c", o->letter);
	return o->letter != 0 && strstr(err, w) != NULL;
}

/* Expect exit 64 naming a or b. */
static void
oc_refused(const struct oc_tool *t, struct oc_line *l, const char *what,
    const struct kp_opt *a, const struct kp_opt *b)
{
	char err[4096];
	int rc = oc_run(t, l, err, sizeof(err));
	int ok = rc == 64 && (oc_names(err, a) || (b != NULL &&
	    oc_names(err, b)));

	check(ok);
	if (!ok)
		oc_show(t->name, what, l, rc, err);
}

static void
oc_bad(const struct oc_tool *t, const struct kp_opt *o, const char *arg)
{
	struct oc_line l;

	if (oc_base(t, &l, o, NULL, NULL, 4) < 0)
		return;
	oc_add(t, &l, o, arg, NULL);
	oc_close(t, &l, NULL);
	oc_refused(t, &l, "a bad argument", o, NULL);
}

static void
oc_row_cases(const struct oc_tool *t, const struct kp_opt *o)
{
	const struct oc_arg *a;
	struct oc_line l;
	const char *s;
	char err[4096], num[32];
	size_t n;
	int rc;

	if (oc_base(t, &l, o, NULL, NULL, 4) < 0) {
		check(!"a base line fits");
		fprintf(stderr, "%s: --%s: no base line fits\n", t->name,
		    o->name);
		return;
	}
	oc_with(t, &l, o);
	oc_add(t, &l, o, NULL, NULL);
	oc_close(t, &l, NULL);
	check((rc = oc_run(t, &l, err, sizeof(err))) == 0);
	if (rc != 0)
		oc_show(t->name, "a good line", &l, rc, err);
	if (o->kind == KA_INT || o->kind == KA_DUR || o->kind == KA_TIME ||
	    o->kind == KA_ENUM)
		oc_bad(t, o, "nonsense");
	if (o->kind == KA_INT && o->min > LLONG_MIN) {
		snprintf(num, sizeof(num), "%lld", o->min - 1);
		oc_bad(t, o, num);
	}
	if (o->kind == KA_INT && o->max < LLONG_MAX) {
		snprintf(num, sizeof(num), "%lld", o->max + 1);
		oc_bad(t, o, num);
	}
	if (o->kind == KA_DUR && o->min > 0)
		oc_bad(t, o, "0");
	for (a = t->args; a->name != NULL; a++)
		if (strcmp(a->name, o->name) == 0 && a->bad != NULL)
			oc_bad(t, o, a->bad);
	for (s = o->needs; s != NULL && *s != '\0'; s += n) {
		s += strspn(s, " ");
		if ((n = strcspn(s, " ")) == 0)
			continue;
		if (oc_base(t, &l, o, NULL, oc_row(t, s, n), 0) < 0) {
			check(!"a base line without the need");
			fprintf(stderr, "%s: --%s: no base line without --%.*s\n",
			    t->name, o->name, (int)n, s);
			continue;
		}
		oc_add(t, &l, o, NULL, oc_row(t, s, n));
		oc_close(t, &l, oc_row(t, s, n));
		oc_refused(t, &l, "a need left out", o, NULL);
	}
	for (s = o->excludes; s != NULL && *s != '\0'; s += n) {
		s += strspn(s, " ");
		if ((n = strcspn(s, " ")) == 0)
			continue;
		if (oc_base(t, &l, o, oc_row(t, s, n), oc_row(t, s, n), 0) <
		    0) {
			check(!"a base line without the excluded");
			fprintf(stderr, "%s: --%s: no base line without --%.*s\n",
			    t->name, o->name, (int)n, s);
			continue;
		}
		oc_add(t, &l, o, NULL, NULL);
		oc_add(t, &l, oc_row(t, s, n), NULL, NULL);
		oc_close(t, &l, NULL);
		oc_refused(t, &l, "an excluded option added", o,
		    oc_row(t, s, n));
	}
}

/* Does the tool's --help name every row, as --name followed by neither a
 * letter nor '-'? */
static void
oc_help(const struct oc_tool *t)
{
	const struct kp_opt *o;
	static char text[65536];
	char path[PATH_MAX + 8], w[80];
	const char *at;
	ssize_t got;
	pid_t pid;
	int fd, st, found;

	snprintf(path, sizeof(path), "%s/help", oc_tmp);
	fflush(NULL);
	if ((pid = fork()) == 0) {
		if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
			_exit(99);
		dup2(fd, 1);
		t->usage(stdout);
		_exit(98);
	}
	waitpid(pid, &st, 0);
	check(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	text[0] = '\0';
	if ((fd = open(path, O_RDONLY)) >= 0) {
		got = read(fd, text, sizeof(text) - 1);
		text[got > 0 ? got : 0] = '\0';
		close(fd);
	}
	unlink(path);
	for (o = t->tab; o->name != NULL; o++) {
		snprintf(w, sizeof(w), "--%s", o->name);
		found = 0;
		for (at = text; !found && (at = strstr(at, w)) != NULL;
		    at += strlen(w))
			found = !(at[strlen(w)] == '-' ||
			    (at[strlen(w)] >= 'a' && at[strlen(w)] <= 'z'));
		check(found);
		if (!found)
			fprintf(stderr, "%s: --help does not name %s\n",
			    t->name, w);
	}
}

/* Is the pair a b (either order) in the tool's list of refused pairs? */
static int
oc_refused_pair(const struct oc_tool *t, const struct kp_opt *a,
    const struct kp_opt *b)
{
	const char *const *r;
	char ab[128], ba[128];

	snprintf(ab, sizeof(ab), "%s %s", a->name, b->name);
	snprintf(ba, sizeof(ba), "%s %s", b->name, a->name);
	for (r = t->refused; r != NULL && *r != NULL; r++)
		if (strcmp(*r, ab) == 0 || strcmp(*r, ba) == 0)
			return 1;
	return 0;
}

/* Do two rows of the line exclude each other? */
static int
oc_inner_clash(const struct oc_line *l)
{
	int i, j;

	for (i = 0; i < l->nrows; i++)
		for (j = i + 1; j < l->nrows; j++)
			if (oc_clash(l->rows[i], l->rows[j]))
				return 1;
	return 0;
}

/* Every two rows that do not exclude each other: plan() takes them. */
static void
oc_pairs(const struct oc_tool *t)
{
	const struct kp_opt *a, *b;
	struct oc_line l;
	char err[4096];
	int rc, want;

	for (a = t->tab; a->name != NULL; a++)
		for (b = a + 1; b->name != NULL; b++) {
			if (a->letter == 'h' || a->letter == 'V' ||
			    b->letter == 'h' || b->letter == 'V' ||
			    oc_clash(a, b) || oc_base(t, &l, a, b, NULL, 4) < 0)
				continue;
			oc_with(t, &l, a);
			oc_add(t, &l, a, NULL, NULL);
			oc_with(t, &l, b);
			oc_add(t, &l, b, NULL, NULL);
			oc_close(t, &l, NULL);
			if (oc_inner_clash(&l))
				continue;	/* what one needs, the other
						   excludes */
			want = oc_refused_pair(t, a, b) ? 64 : 0;
			rc = oc_run(t, &l, err, sizeof(err));
			check(rc == want);
			if (rc != want)
				oc_show(t->name, want ? "a pair refused" :
				    "a pair", &l, rc, err);
		}
}

/* Every row of t's table but -h and -V; the test's exit status. */
static int
oc_main(const struct oc_tool *t)
{
	const struct kp_opt *o;
	char name[PATH_MAX + 64];
	int rows = 0;

	if (getcwd(oc_root, sizeof(oc_root)) == NULL) {
		perror("getcwd");
		return 1;
	}
	snprintf(oc_tmp, sizeof(oc_tmp), "%s", "/tmp/optcases.XXXXXX");
	if (mkdtemp(oc_tmp) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	signal(SIGPIPE, SIG_DFL);
	for (o = t->tab; o->name != NULL; o++) {
		if (o->letter == 'h' || o->letter == 'V')
			continue;
		rows++;
		oc_row_cases(t, o);
	}
	oc_help(t);
	oc_pairs(t);
	snprintf(name, sizeof(name), "%s/err", oc_tmp);
	unlink(name);
	snprintf(name, sizeof(name), "rm -rf '%s'", oc_tmp);
	if (system(name) != 0)
		check(!"the temporary folder removed");
	snprintf(name, sizeof(name), "%s options: %d rows, %d cases", t->name,
	    rows, oc_cases);
	check(rows > 0);
	return check_done(name);
}

#endif
