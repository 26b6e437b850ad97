/* labeldb.c - gLabels' template database read with libxml2: every
 * <Template> of the *-templates.xml files (format: ../shared/reference/
 * postal.md section 4.2; glabels-qt model/XmlTemplateParser.cpp) made an
 * ev_label_sheet in millimetres. Edge code: it reads the folder. */
#include "labeldb.h"

#include <dlfcn.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "fsutil.h"

/* libxml2 is loaded when a database is first read, not linked: with the
 * ICU and C++ runtime it brings, linking it cost every start of envoi
 * about 4 ms and 120 page faults, and most runs read no database (the
 * built-in sheets need none). The calls below go through these pointers,
 * by the names and types of libxml2's own headers. */
static struct {
	xmlDocPtr (*ReadMemory)(const char *, int, const char *, const char *, int);
	void (*FreeDoc)(xmlDocPtr);
	xmlNodePtr (*DocGetRootElement)(const xmlDoc *);
	xmlChar *(*GetProp)(const xmlNode *, const xmlChar *);
	int (*Strcmp)(const xmlChar *, const xmlChar *);
	long (*GetLineNo)(const xmlNode *);
	xmlErrorPtr (*GetLastError)(void);
	void (*InitParser)(void);
	xmlFreeFunc *Free;            /* libxml2's variable xmlFree */
	const char *why;              /* NULL: loaded */
} xml;

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_load(void)
{
	void *h = dlopen("libxml2.so.2", RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		xml.why = "libxml2.so.2 cannot be loaded (install the Debian package libxml2)";
		return;
	}
	/* POSIX's way to a function from dlsym (ISO C has no cast for it). */
	*(void **)&xml.ReadMemory = dlsym(h, "xmlReadMemory");
	*(void **)&xml.FreeDoc = dlsym(h, "xmlFreeDoc");
	*(void **)&xml.DocGetRootElement = dlsym(h, "xmlDocGetRootElement");
	*(void **)&xml.GetProp = dlsym(h, "xmlGetProp");
	*(void **)&xml.Strcmp = dlsym(h, "xmlStrcmp");
	*(void **)&xml.GetLineNo = dlsym(h, "xmlGetLineNo");
	*(void **)&xml.GetLastError = dlsym(h, "xmlGetLastError");
	*(void **)&xml.InitParser = dlsym(h, "xmlInitParser");
	xml.Free = dlsym(h, "xmlFree");
	if (!xml.ReadMemory || !xml.FreeDoc || !xml.DocGetRootElement || !xml.GetProp ||
	    !xml.Strcmp || !xml.GetLineNo || !xml.GetLastError || !xml.InitParser ||
	    !xml.Free || !*xml.Free)
		xml.why = "libxml2.so.2 lacks a function envoi uses";
	else
		xml.InitParser();
	/* Kept loaded until the process ends. */
}

#define xmlReadMemory xml.ReadMemory
#define xmlFreeDoc xml.FreeDoc
#define xmlDocGetRootElement xml.DocGetRootElement
#define xmlGetProp xml.GetProp
#define xmlStrcmp xml.Strcmp
#define xmlGetLineNo xml.GetLineNo
#define xmlGetLastError xml.GetLastError
#undef xmlFree
#define xmlFree (*xml.Free)

#define FILE_LIMIT ((size_t)16 << 20)   /* one templates file */
#define FILES_MAX 1000
#define TEMPLATES_MAX 100000
#define PAPERS_MAX 1000
#define EQUIV_DEPTH 8

/* The text margin of a gLabels sheet: its Markup-margin, but no less than
 * this (a printer's feed is good to a millimetre or so), and for rounded
 * corners no less than the corner takes off the text box's corner. */
#define MARGIN_MIN 2.5

struct ev_labeldb {
	ev_arena *a;
	const char *path;
	size_t files;                /* templates files read */
	ev_label_sheet *sheets;
	size_t n;
	/* the label templates left out, and why (for a person naming one) */
	ev_label_sheet *left;
	const char **why;
	size_t nleft;
};

/* A template as read, before its alias is resolved and it is judged. */
typedef struct raw {
	const char *equiv;           /* NULL: a template of its own */
	bool label_like;             /* its category is a sticky label's */
	bool resolved;
	const char *broken;          /* where a length or count is not one */
	ev_label_sheet s;
} raw;

typedef struct paper {
	const char *id;
	double w, h;
} paper;

typedef struct reader {
	ev_labeldb *db;
	ev_diags *d;
	raw *raws;
	size_t nraws, rawcap;
	paper *papers;
	size_t npapers;
	const char *file;            /* the file being read */
} reader;

const char *ev_labeldb_dir(const char *dir)
{
	if (dir)
		return dir;
	const char *env = getenv("ENVOI_LABELDIR");
	return env && *env ? env : EV_LABELDB_DEFAULT;
}

/* ---- attributes ---- */

/* The attribute's value in the arena ("" when absent); NULL when out of
 * memory. */
static const char *attr(reader *r, xmlNode *n, const char *name)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *s = ev_arena_strdup(r->db->a, v ? (const char *)v : "");
	xmlFree(v);
	return s;
}

/* A length: a number and a unit (pt, in, mm, cm, pc; none: pt), absent or
 * empty 0 (Zweckform 3490 has x0=""), in mm. -1 when it is not one. */
static int length(xmlNode *n, const char *name, double *mm)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	const char *s = v ? (const char *)v : "";
	size_t len = strlen(s), i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '\t'))
		i++;
	while (len > i && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	int rc = 0;
	*mm = 0;
	if (i < len) {
		size_t num = len;
		while (num > i && ((s[num - 1] >= 'a' && s[num - 1] <= 'z')))
			num--;
		size_t unit = num;
		while (num > i && s[num - 1] == ' ')
			num--;
		const char *u = s + unit;
		size_t ul = len - unit;
		double per = ul == 0 || (ul == 2 && !strncmp(u, "pt", 2)) ? 25.4 / 72
		           : ul == 2 && !strncmp(u, "in", 2) ? 25.4
		           : ul == 2 && !strncmp(u, "mm", 2) ? 1
		           : ul == 2 && !strncmp(u, "cm", 2) ? 10
		           : ul == 2 && !strncmp(u, "pc", 2) ? 25.4 / 6 : 0;
		double v0;
		if (per == 0 || ev_decimal_parse(s + i, num - i, &v0) < 0 || !(fabs(v0) < 1e6))
			rc = -1;
		else
			*mm = v0 * per;
	}
	xmlFree(v);
	return rc;
}

/* A count (nx, ny): a whole number from 1; -1 when it is not one. */
static int count(xmlNode *n, const char *name, int *out)
{
	xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
	double d;
	int rc = v && ev_decimal_parse((const char *)v, strlen((const char *)v), &d) == 0 &&
	         d >= 1 && d <= EV_LABEL_MAX && d == floor(d) ? 0 : -1;
	*out = rc == 0 ? (int)d : 0;
	xmlFree(v);
	return rc;
}

static bool named(xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !xmlStrcmp(n->name, (const xmlChar *)name);
}

/* ---- one template ---- */

/* gLabels' categories of things stuck on: "label", "mail", and the kinds
 * of label ("round-label", "rectangle-label", ...). Cards, photo paper,
 * name badges alone and CD inserts are printed on, not stuck on an
 * envelope. */
static bool label_category(const char *c)
{
	size_t n = strlen(c);
	return !strcmp(c, "label") || !strcmp(c, "mail") ||
	       (n > 6 && !strcmp(c + n - 6, "-label"));
}

/* A shape element: its size, margin and layouts into s. */
static int read_shape(xmlNode *e, ev_label_sheet *s)
{
	double markup = 0, w = 0, h = 0, radius = 0, hole = 0, round = 0;
	int bad = 0;
	if (named(e, "Label-rectangle")) {
		s->shape = EV_LABEL_RECT;
		bad |= length(e, "width", &w) | length(e, "height", &h) | length(e, "round", &round);
	} else if (named(e, "Label-round")) {
		s->shape = EV_LABEL_ROUND;
		bad |= length(e, "radius", &radius);
		w = h = 2 * radius;
	} else if (named(e, "Label-ellipse")) {
		s->shape = EV_LABEL_ELLIPSE;
		bad |= length(e, "width", &w) | length(e, "height", &h);
	} else {
		s->shape = EV_LABEL_CD;
		bad |= length(e, "radius", &radius) | length(e, "hole", &hole) |
		       length(e, "width", &w) | length(e, "height", &h);
		/* width and height clip the disc (a business-card CD); none: the
		 * whole disc */
		if (w <= 0)
			w = 2 * radius;
		if (h <= 0)
			h = 2 * radius;
	}
	s->label_w = w;
	s->label_h = h;
	s->round = round;
	s->radius = radius;
	s->hole = hole;
	for (xmlNode *c = e->children; c; c = c->next) {
		if (named(c, "Markup-margin")) {
			bad |= length(c, "size", &markup);
		} else if (named(c, "Layout")) {
			if (s->ngrids == EV_LABEL_GRIDS) {
				s->ngrids++;   /* too many: ev_label_sheet_check says so */
				continue;
			}
			if (s->ngrids > EV_LABEL_GRIDS)
				continue;
			ev_label_grid *g = &s->grids[s->ngrids++];
			bad |= count(c, "nx", &g->nx) | count(c, "ny", &g->ny) |
			       length(c, "x0", &g->x0) | length(c, "y0", &g->y0) |
			       length(c, "dx", &g->dx) | length(c, "dy", &g->dy);
		}
	}
	s->margin = fmax(markup, MARGIN_MIN);
	if (s->shape == EV_LABEL_RECT)
		s->margin = fmax(s->margin, round * (1 - 1 / sqrt(2.0)) + 0.5);
	return bad ? -1 : 0;
}

static const paper *find_paper(const reader *r, const char *id)
{
	for (size_t i = 0; i < r->npapers; i++)
		if (!strcasecmp(r->papers[i].id, id))
			return &r->papers[i];
	return NULL;
}

static int read_template(reader *r, xmlNode *t)
{
	if (r->nraws == TEMPLATES_MAX)
		return 0;
	if (r->nraws == r->rawcap) {
		size_t cap = r->rawcap ? 2 * r->rawcap : 256;
		raw *v = realloc(r->raws, cap * sizeof *v);
		if (!v)
			return -1;
		r->raws = v;
		r->rawcap = cap;
	}
	raw *w = &r->raws[r->nraws];
	*w = (raw){0};
	ev_label_sheet *s = &w->s;
	const char *equiv = attr(r, t, "equiv");
	const char *desc = attr(r, t, "_description");
	if (desc && !*desc)
		desc = attr(r, t, "description");
	s->brand = attr(r, t, "brand");
	s->part = attr(r, t, "part");
	s->description = desc;
	s->paper = attr(r, t, "size");
	if (!equiv || !desc || !s->brand || !s->part || !s->paper)
		return -1;
	if (!*s->brand || !*s->part)
		return 0;
	s->id = ev_arena_printf(r->db->a, "%s %s", s->brand, s->part);
	if (!s->id)
		return -1;
	r->nraws++;
	if (*equiv) {
		w->equiv = equiv;
		return 0;
	}
	long line = xmlGetLineNo(t);
	bool shaped = false, bad = false;
	for (xmlNode *c = t->children; c; c = c->next) {
		if (named(c, "Meta")) {
			xmlChar *cat = xmlGetProp(c, (const xmlChar *)"category");
			if (cat && label_category((const char *)cat))
				w->label_like = true;
			xmlFree(cat);
		} else if (!shaped && (named(c, "Label-rectangle") || named(c, "Label-round") ||
		                       named(c, "Label-ellipse") || named(c, "Label-cd"))) {
			shaped = true;
			if (read_shape(c, s) < 0)
				bad = true;
		}
	}
	/* The paper: an id of paper-sizes.xml, or "Other" with the template's
	 * own width and height. */
	if (!strcasecmp(s->paper, "Other")) {
		if (length(t, "width", &s->paper_w) < 0 || length(t, "height", &s->paper_h) < 0)
			bad = true;
	} else {
		const paper *p = find_paper(r, s->paper);
		if (p) {
			s->paper_w = p->w;
			s->paper_h = p->h;
		}
	}
	if (bad && !(w->broken = ev_arena_printf(r->db->a, "a length or count that is "
	                                         "not one (%s:%ld)", r->file, line)))
		return -1;
	w->resolved = true;
	return 0;
}

/* An alias takes its original's geometry and category (and description
 * when it has none): the original is the template of the same brand with
 * the part `equiv` names, itself perhaps an alias. */
static void resolve(reader *r, raw *w, int depth)
{
	if (w->resolved || depth > EQUIV_DEPTH)
		return;
	for (size_t i = 0; i < r->nraws; i++) {
		raw *o = &r->raws[i];
		if (o == w || strcasecmp(o->s.brand, w->s.brand) || strcasecmp(o->s.part, w->equiv))
			continue;
		resolve(r, o, depth + 1);
		if (!o->resolved)
			return;
		ev_label_sheet keep = w->s;
		w->s = o->s;
		w->s.id = keep.id;
		w->s.brand = keep.brand;
		w->s.part = keep.part;
		if (*keep.description)
			w->s.description = keep.description;
		w->label_like = o->label_like;
		w->broken = o->broken;
		w->resolved = true;
		return;
	}
}

/* ---- files ---- */

static xmlDoc *parse(reader *r, const char *path, const char *expect)
{
	char *data = NULL;
	size_t len = 0;
	if (ev_read_file(path, FILE_LIMIT, &data, &len, r->d) < 0)
		return NULL;
	/* No network, no DTD, no entities expanded: the files are data. */
	xmlDoc *doc = xmlReadMemory(data, (int)len, path, NULL,
	                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	free(data);
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !named(root, expect)) {
		const xmlError *e = xmlGetLastError();
		if (!doc && e && e->message)
			ev_diag_add(r->d, EV_WARNING, path, e->line, 0, NULL, "not read as a "
			            "gLabels file: %.*s", (int)strcspn(e->message, "\n"), e->message);
		else
			ev_diag_add(r->d, EV_WARNING, path, 0, 0, NULL, "not read as a gLabels "
			            "file: its root element is not <%s>", expect);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static int read_papers(reader *r, const char *dir)
{
	char *path = ev_path_join(dir, "paper-sizes.xml");
	if (!path)
		return -1;
	xmlDoc *doc = ev_is_file(path) ? parse(r, path, "Glabels-paper-sizes") : NULL;
	free(path);
	if (!doc)
		return 0;
	int rc = 0;
	size_t cap = 0;
	for (xmlNode *n = xmlDocGetRootElement(doc)->children; n && rc == 0; n = n->next) {
		if (!named(n, "Paper-size") || r->npapers == PAPERS_MAX)
			continue;
		if (r->npapers == cap) {
			cap = cap ? 2 * cap : 64;
			paper *v = realloc(r->papers, cap * sizeof *v);
			if (!v) {
				rc = -1;
				break;
			}
			r->papers = v;
		}
		paper *p = &r->papers[r->npapers];
		p->id = attr(r, n, "id");
		if (!p->id)
			rc = -1;
		else if (*p->id && length(n, "width", &p->w) == 0 && length(n, "height", &p->h) == 0)
			r->npapers++;
	}
	xmlFreeDoc(doc);
	return rc;
}

static int read_templates(reader *r, const char *path)
{
	xmlDoc *doc = parse(r, path, "Glabels-templates");
	if (!doc)
		return 0;
	r->file = ev_arena_strdup(r->db->a, path);
	int rc = r->file ? 0 : -1;
	for (xmlNode *n = xmlDocGetRootElement(doc)->children; n && rc == 0; n = n->next)
		if (named(n, "Template"))
			rc = read_template(r, n);
	xmlFreeDoc(doc);
	r->db->files += rc == 0;
	return rc;
}

ev_labeldb *ev_labeldb_load(const char *dir, ev_diags *d)
{
	ev_labeldb *db = calloc(1, sizeof *db);
	reader r = {.db = db, .d = d};
	if (!db || !(db->a = ev_arena_new()) ||
	    !(db->path = ev_arena_strdup(db->a, ev_labeldb_dir(dir))))
		goto oom;
	pthread_once(&xml_once, xml_load);
	if (xml.why) {
		ev_labeldb_free(db);
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "cannot read the label sheets of "
		            "gLabels: %s", xml.why);
		return NULL;
	}
	bool oom;
	char **files = ev_list_files(db->path, "-templates.xml", FILES_MAX, &oom);
	if (oom || read_papers(&r, db->path) < 0)
		goto oom;
	int rc = 0;
	for (size_t i = 0; files && files[i] && rc == 0; i++)
		rc = read_templates(&r, files[i]);
	ev_free_files(files);
	if (rc < 0)
		goto oom;
	for (size_t i = 0; i < r.nraws; i++)
		resolve(&r, &r.raws[i], 0);
	/* The sheets kept: resolved, a label's, sound. The database has a few
	 * templates whose labels lie off the paper or leave no room for text:
	 * they are left out quietly (the system's files are not the user's to
	 * mend), and the reason is given to whoever names one. */
	size_t cap = r.nraws ? r.nraws : 1;
	db->sheets = calloc(cap, sizeof *db->sheets);
	db->left = calloc(cap, sizeof *db->left);
	db->why = calloc(cap, sizeof *db->why);
	if (!db->sheets || !db->left || !db->why)
		goto oom;
	for (size_t i = 0; i < r.nraws; i++) {
		raw *w = &r.raws[i];
		char why[300];
		if (!w->resolved || !w->label_like)
			continue;
		const char *reason = w->broken;
		if (!reason && w->s.paper_w <= 0 && w->s.paper_h <= 0)
			reason = ev_arena_printf(db->a, "its paper '%s' is not in paper-sizes.xml",
			                         w->s.paper);
		else if (!reason && ev_label_sheet_check(&w->s, why, sizeof why))
			reason = ev_arena_strdup(db->a, why + strlen(w->s.id) + 2);
		else if (!reason) {
			db->sheets[db->n++] = w->s;
			continue;
		}
		if (!reason)
			goto oom;
		db->left[db->nleft] = w->s;
		db->why[db->nleft++] = reason;
	}
	free(r.raws);
	free(r.papers);
	return db;
oom:
	free(r.raws);
	free(r.papers);
	ev_labeldb_free(db);
	ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory reading the label sheets");
	return NULL;
}

void ev_labeldb_free(ev_labeldb *db)
{
	if (!db)
		return;
	ev_arena_free(db->a);
	free(db->sheets);
	free(db->left);
	free(db->why);
	free(db);
}

const char *ev_labeldb_path(const ev_labeldb *db)
{
	return db->path;
}

size_t ev_labeldb_read(const ev_labeldb *db)
{
	return db->files;
}

size_t ev_labeldb_count(const ev_labeldb *db)
{
	return db ? db->n : 0;
}

const ev_label_sheet *ev_labeldb_sheet(const ev_labeldb *db, size_t i)
{
	return i < db->n ? &db->sheets[i] : NULL;
}

size_t ev_labeldb_left_count(const ev_labeldb *db)
{
	return db ? db->nleft : 0;
}

const ev_label_sheet *ev_labeldb_left(const ev_labeldb *db, size_t i, const char **why)
{
	*why = i < db->nleft ? db->why[i] : NULL;
	return i < db->nleft ? &db->left[i] : NULL;
}

/* ---- the catalogue ---- */

static int by_brand_part(const void *a, const void *b)
{
	const ev_label_sheet *p = *(const ev_label_sheet *const *)a;
	const ev_label_sheet *q = *(const ev_label_sheet *const *)b;
	int c = strcasecmp(p->brand, q->brand);
	if (!c)
		c = strcasecmp(p->part, q->part);
	return c ? c : p->builtin != q->builtin ? (p->builtin ? -1 : 1) : 0;
}

const ev_label_sheet **ev_labeldb_catalogue(const ev_labeldb *db, size_t *n)
{
	size_t nb;
	const ev_label_sheet *b = ev_label_builtin(&nb);
	size_t nd = ev_labeldb_count(db);
	const ev_label_sheet **v = malloc((nb + nd) * sizeof *v);
	*n = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < nb; i++)
		v[(*n)++] = &b[i];
	for (size_t i = 0; i < nd; i++) {
		const ev_label_sheet *s = &db->sheets[i];
		bool shadowed = false;
		for (size_t k = 0; k < nb && !shadowed; k++)
			shadowed = !strcasecmp(b[k].brand, s->brand) && !strcasecmp(b[k].part, s->part);
		if (!shadowed)
			v[(*n)++] = s;
	}
	qsort(v, *n, sizeof *v, by_brand_part);
	return v;
}

const ev_label_sheet *ev_labeldb_resolve(const char *name, const char *dir,
                                         ev_labeldb **db, ev_diags *d)
{
	const ev_label_sheet *s = ev_label_sheet_find(name);
	if (s)
		return s;
	if (!*db && !(*db = ev_labeldb_load(dir, d)))
		return NULL;
	size_t n;
	const ev_label_sheet **v = ev_labeldb_catalogue(*db, &n);
	ev_buf msg = {0};
	int k = v ? ev_label_lookup(v, n, name, &s, &msg) : -1;
	/* a template of the database left out: why */
	bool unknown = k == 1 && msg.data && !strncmp(msg.data, "unknown", 7);
	for (size_t i = 0; unknown && i < (*db)->nleft; i++) {
		const ev_label_sheet *one = &(*db)->left[i], *hit;
		ev_buf none = {0};
		if (ev_label_lookup(&one, 1, name, &hit, &none) == 0) {
			ev_buf_reset(&msg);
			ev_buf_printf(&msg, "the label sheet %s is in gLabels' database (%s) "
			              "but cannot be used: %s", one->id, (*db)->path, (*db)->why[i]);
			unknown = false;
		}
		ev_buf_free(&none);
	}
	if (k == 1 && ev_labeldb_read(*db) == 0)
		ev_buf_printf(&msg, "; gLabels' template database was not found in %s "
		              "(install glabels-data, or set ENVOI_LABELDIR to its "
		              "templates folder), so only the built-in sheets are known",
		              ev_labeldb_path(*db));
	if (k == 1 && !msg.failed)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "%s; 'envoi labels list WORDS' "
		            "lists the sheets", msg.data);
	if (k < 0 || msg.failed)
		ev_diag_add(d, EV_ERROR, NULL, 0, 0, NULL, "out of memory");
	free(v);
	ev_buf_free(&msg);
	return k == 0 ? s : NULL;
}
