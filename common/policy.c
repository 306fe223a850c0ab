/* policy.c - on-error policy and the dead-letter file. */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kp.h"
#include "ndjson.h"
#include "opt.h"
#include "policy.h"

void
pol_init(struct policy *p, const char *src, int abort_default)
{
	memset(p, 0, sizeof(*p));
	p->src = src;
	p->abort = abort_default;
	p->what = "records";
}

const char *const pol_modes[] = { "skip", "abort", NULL };

void
pol_set_mode(struct policy *p, const char *v)
{
	p->abort = kp_choice(v, pol_modes, "--on-error");
}

void
pol_set_deadletter(struct policy *p, const char *path)
{
	if (p->dl != NULL)
		fclose(p->dl);
	p->dl = fopen(path, "a");
	if (p->dl == NULL)
		err(EX_IOERR, "--dead-letter %s", path);
	p->dlpath = path;
}

void
pol_option(struct policy *p, int ch, const char *arg, void (*usage)(FILE *))
{
	switch (ch) {
	case 'h':
		usage(stdout);
		return;
	case 'V':
		kp_version();
		return;
	}
	if (p == NULL)
		usage(stderr);
	switch (ch) {
	case POL_ONERR:
		pol_set_mode(p, arg);
		break;
	case POL_DL:
		pol_set_deadletter(p, arg);
		break;
	case POL_MAXLINE:
		p->max_line = (size_t)kp_num(arg, 1, 1LL << 40, "--max-line");
		break;
	default:
		usage(stderr);
	}
}

int
pol_input(struct policy *p, struct nd_reader *r, int rc)
{
	switch (rc) {
	case ND_TOOLONG:
		return pol_reject(p, r->lineno, NULL, 0, "line longer than "
		    "--max-line %zu bytes", r->max_line) < 0 ? EX_DATAERR : 0;
	case ND_ERROR:
		warn("read %s", r->name);
		return EX_IOERR;
	case ND_EOF:
	case ND_GONE:	/* as at EOF: the next write is a quiet EPIPE */
		return -1;
	default:
		return 0;
	}
}

void
pol_copy(FILE *f, const char *line, size_t len)
{
	if (f == NULL || line == NULL)
		return;
	fwrite(line, 1, len, f);
	fputc('\n', f);
}

int
pol_vreject(struct policy *p, unsigned long long lineno, const char *where,
    const char *line, size_t len, const char *fmt, va_list ap)
{
	struct pol_kind *k;
	uint64_t h = 0xcbf29ce484222325ULL;
	char msg[512], *c;
	int i;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	for (c = msg; *c != '\0'; c++)
		h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;	/* FNV-1a */
	for (i = 0; i < p->nkind && p->kind[i].hash != h; i++)
		;
	k = i < POL_KINDS ? &p->kind[i] : NULL;
	if (k != NULL && i == p->nkind) {
		k->hash = h;
		p->nkind++;
	}
	if (k == NULL || k->n++ < POL_SHOW) {
		if (where != NULL)
			warnx("%s: %s", where, msg);
		else
			warnx("%s:%llu: %s", p->src, lineno, msg);
		if (k != NULL)
			k->shown = lineno;
	}
	p->rejected++;
	pol_copy(p->dl, line, len);
	return p->abort ? -1 : 0;
}

int
pol_rejectat(struct policy *p, const char *where, const char *line,
    size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pol_vreject(p, 0, where, line, len, fmt, ap);
	va_end(ap);
	return rc;
}

int
pol_reject(struct policy *p, unsigned long long lineno, const char *line,
    size_t len, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = pol_vreject(p, lineno, NULL, line, len, fmt, ap);
	va_end(ap);
	return rc;
}

int
pol_flush(struct policy *p)
{
	if (p->dl != NULL && !p->dlerr &&
	    (fflush(p->dl) != 0 || ferror(p->dl))) {
		warn("--dead-letter %s", p->dlpath);
		p->dlerr = 1;
	}
	return p->dlerr ? -1 : 0;
}

int
pol_finish(struct policy *p, int status)
{
	int i;

	for (i = 0; i < p->nkind; i++)
		if (p->kind[i].n > POL_SHOW && p->kind[i].shown > 0)
			warnx("%s: %llu more lines rejected for the same "
			    "reason as line %llu (not shown)", p->src,
			    p->kind[i].n - POL_SHOW, p->kind[i].shown);
		else if (p->kind[i].n > POL_SHOW)	/* pol_rejectat() */
			warnx("%llu more %s rejected for the same reason "
			    "(not shown)", p->kind[i].n - POL_SHOW, p->what);
	if (p->rejected > 0 && !p->abort)
		warnx("%llu bad %s skipped%s%s", p->rejected, p->what,
		    p->dl ? ", copied to " : "", p->dl ? p->dlpath : "");
	if (p->rejected > 0 && p->taken == 0 && status == 0) {
		warnx("every one of the %llu %s read was rejected",
		    p->rejected, p->what);
		status = EX_DATAERR;
	}
	if (pol_flush(p) < 0 && status == 0)
		status = EX_IOERR;
	if (p->dl != NULL) {
		fclose(p->dl);
		p->dl = NULL;
	}
	return status;
}
