/*
 * yml: YAML to a positioned tree, through libfyaml's event parser.
 *
 * Everything a hostile or broken file can do is bounded here: the file is
 * read whole up to YML_MAX_FILE, checked for NUL bytes and bad UTF-8 (with
 * a line and column), and the tree is limited in depth and node count.
 * Anchors and aliases are refused as events, never expanded.
 */
#include "yml.h"

#include "duration.h"
#include "util.h"

#include <libfyaml.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define YML_MAX_DEPTH 32
#define YML_MAX_NODES 100000

struct yml_builder {
	struct yml_doc *doc;
	struct yml_node *stack[YML_MAX_DEPTH];
	int depth;
	char diag[LIMBER_ERR_LEN]; /* libfyaml's first error, "L:C: message" */
};

static void yml_node_free(struct yml_node *n)
{
	size_t kids;

	if (!n)
		return;
	/* A mapping cut short by an error may hold a key with no value yet (str set). */
	kids = n->type == YML_MAP ? n->n * 2 + (n->str != NULL) : n->n;
	for (size_t i = 0; i < kids; i++)
		yml_node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

void yml_doc_done(struct yml_doc *doc)
{
	if (!doc)
		return;
	yml_node_free(doc->root);
	free(doc->path);
	doc->root = NULL;
	doc->path = NULL;
}

int yml_error(const struct yml_doc *doc, const struct yml_node *n, char *err, const char *fmt,
	      ...)
{
	char msg[LIMBER_ERR_LEN];
	va_list ap;

	va_start(ap, fmt);
	/* NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized): clang 14 misreads va_start here */
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return util_err(err, "%s:%d:%d: %s", doc->path, n ? n->line : 1, n ? n->col : 1, msg);
}

/* Position of byte off in buf, 1-based, columns counted in bytes. */
static void yml_pos(const char *buf, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* The first invalid UTF-8 sequence's offset, or len if there is none. */
static size_t yml_bad_utf8(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		uint32_t cp;

		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			cp = c & 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			cp = c & 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return len;
}

static void yml_diag_out(struct fy_diag *diag, void *user, const char *buf, size_t len)
{
	struct yml_builder *b = user;
	const char *e, *p;
	int line, col;

	(void)diag;
	if (b->diag[0])
		return;
	/* libfyaml writes "<input>:L:C: error: message\n" first, then source lines. */
	e = NULL;
	for (size_t i = 0; i + 9 <= len; i++) {
		if (!memcmp(buf + i, ": error: ", 9)) {
			e = buf + i;
			break;
		}
	}
	if (!e)
		return;
	p = e;
	while (p > buf && p[-1] != '>' && p[-1] != '/')
		p--;
	while (p < e && *p != ':')
		p++;
	{
		char *end;

		line = (int)strtol(p + 1, &end, 10);
		col = *end == ':' ? (int)strtol(end + 1, &end, 10) : 0;
		if (line < 1 || col < 1 || *end != ':')
			line = col = 1;
	}
	e += 9;
	len -= (size_t)(e - buf);
	while (len && (e[len - 1] == '\n' || e[len - 1] == ' '))
		len--;
	snprintf(b->diag, sizeof(b->diag), "%d:%d: %.*s", line, col, (int)len, e);
}

static struct yml_node *yml_node_new(struct yml_builder *b, enum yml_type type,
				     const struct fy_mark *m)
{
	struct yml_node *n = util_xcalloc(1, sizeof(*n));

	n->type = type;
	n->line = m ? m->line + 1 : 1;
	n->col = m ? m->column + 1 : 1;
	b->doc->nodes++;
	return n;
}

/* Attach n to the open container, or make it the root. */
static void yml_attach(struct yml_builder *b, struct yml_node *n)
{
	struct yml_node *parent;
	size_t count;

	if (b->depth == 0) {
		b->doc->root = n;
		return;
	}
	parent = b->stack[b->depth - 1];
	count = parent->type == YML_MAP ? parent->n * 2 + (size_t)(parent->str != NULL) : parent->n;
	/* For a mapping, str is used as a "key pending" flag while building. */
	parent->kids = util_xrealloc(parent->kids, (count + 1) * sizeof(*parent->kids));
	parent->kids[count] = n;
	if (parent->type == YML_SEQ) {
		parent->n++;
	} else if (parent->str) {
		free(parent->str);
		parent->str = NULL;
		parent->n++;
	} else {
		parent->str = util_xstrdup("k");
	}
}

/*
 * A scalar's text, read chunk by chunk. Not fy_token_get_text(): for a quoted
 * scalar with a dozen escapes or more, libfyaml 0.7.12 grows its iterator's
 * chunk array there and drops it, 512 bytes a scalar (pantoniou/libfyaml#337).
 */
static char *yml_scalar_text(struct fy_token *t, size_t *len)
{
	struct fy_token_iter *it = fy_token_iter_create(t);
	const struct fy_iter_chunk *c = NULL;
	struct sbuf s;
	int e = 0;

	sbuf_init(&s);
	sbuf_add(&s, "");
	while (it && (c = fy_token_iter_chunk_next(it, c, &e)) != NULL)
		sbuf_addn(&s, c->str, c->len);
	if (it)
		fy_token_iter_destroy(it);
	*len = s.len;
	return sbuf_take(&s);
}

static int yml_event(struct yml_builder *b, struct fy_event *ev, char *err)
{
	const struct fy_mark *m = fy_event_start_mark(ev);
	struct fy_token *anchor = NULL;
	struct yml_node *n;
	struct yml_node pos;

	pos.line = m ? m->line + 1 : 1;
	pos.col = m ? m->column + 1 : 1;
	switch (ev->type) {
	case FYET_ALIAS:
		/* The mark is the alias's name; point at the '*' before it. */
		if (pos.col > 1)
			pos.col--;
		return yml_error(b->doc, &pos, err, "aliases (*name) are not allowed here");
	case FYET_SCALAR:
		anchor = ev->scalar.anchor;
		break;
	case FYET_SEQUENCE_START:
		anchor = ev->sequence_start.anchor;
		break;
	case FYET_MAPPING_START:
		anchor = ev->mapping_start.anchor;
		break;
	case FYET_DOCUMENT_START:
		if (b->doc->root)
			return yml_error(b->doc, &pos, err,
					 "more than one YAML document in the file");
		return 0;
	default:
		return 0;
	}
	if (anchor) {
		const struct fy_mark *am = fy_token_start_mark(anchor);

		/* The token's mark is its name; point at the '&' before it. */
		if (am) {
			pos.line = am->line + 1;
			pos.col = am->column > 0 ? am->column : 1;
		}
		return yml_error(b->doc, &pos, err, "anchors (&name) are not allowed here");
	}
	if (b->doc->nodes >= YML_MAX_NODES)
		return yml_error(b->doc, &pos, err, "too many YAML nodes (limit %d)", YML_MAX_NODES);
	if (b->depth > 0 && b->stack[b->depth - 1]->type == YML_MAP &&
	    !b->stack[b->depth - 1]->str && ev->type != FYET_SCALAR)
		return yml_error(b->doc, &pos, err, "a key must be plain text");
	if (ev->type == FYET_SCALAR) {
		enum fy_scalar_style style = fy_token_scalar_style(ev->scalar.value);
		size_t len;

		n = yml_node_new(b, YML_SCALAR, m);
		n->str = yml_scalar_text(ev->scalar.value, &len);
		n->quoted = style != FYSS_PLAIN && style != FYSS_ANY;
		n->is_null = !n->quoted && (len == 0 || !strcmp(n->str, "~") ||
					    !strcasecmp(n->str, "null"));
		yml_attach(b, n);
		return 0;
	}
	if (b->depth == YML_MAX_DEPTH)
		return yml_error(b->doc, &pos, err, "nested too deeply (limit %d)", YML_MAX_DEPTH);
	n = yml_node_new(b, ev->type == FYET_SEQUENCE_START ? YML_SEQ : YML_MAP, m);
	yml_attach(b, n);
	b->stack[b->depth++] = n;
	return 0;
}

int yml_load_string(struct yml_doc *doc, const char *name, const char *buf, size_t len,
		    char *err)
{
	struct yml_builder b;
	struct fy_diag_cfg dcfg;
	struct fy_parse_cfg pcfg;
	struct fy_diag *diag = NULL;
	struct fy_parser *fyp = NULL;
	struct fy_event *ev;
	struct yml_node pos = { .line = 1, .col = 1 };
	const char *nul;
	size_t bad;
	int rc = -1;

	memset(doc, 0, sizeof(*doc));
	doc->path = util_xstrdup(name);
	memset(&b, 0, sizeof(b));
	b.doc = doc;

	nul = memchr(buf, '\0', len);
	if (nul) {
		yml_pos(buf, (size_t)(nul - buf), &pos.line, &pos.col);
		yml_error(doc, &pos, err, "binary data (a NUL byte): this is not a YAML file");
		goto out;
	}
	bad = yml_bad_utf8((const unsigned char *)buf, len);
	if (bad < len) {
		yml_pos(buf, bad, &pos.line, &pos.col);
		yml_error(doc, &pos, err, "not valid UTF-8 text");
		goto out;
	}

	fy_diag_cfg_default(&dcfg);
	dcfg.fp = NULL;
	dcfg.output_fn = yml_diag_out;
	dcfg.user = &b;
	dcfg.level = FYET_ERROR;
	dcfg.colorize = false;
	dcfg.show_source = false;
	dcfg.show_position = true;
	dcfg.show_type = true;
	dcfg.show_module = false;
	diag = fy_diag_create(&dcfg);
	if (!diag) {
		util_err(err, "%s: cannot set up the YAML parser", name);
		goto out;
	}
	memset(&pcfg, 0, sizeof(pcfg));
	/* libfyaml's flags are enumerators meant to be ORed; the analyzer takes the OR for a value
	 * outside the enum. */
	// NOLINTNEXTLINE(clang-analyzer-optin.core.EnumCastOutOfRange)
	pcfg.flags = FYPCF_QUIET | FYPCF_DISABLE_MMAP_OPT | FYPCF_DISABLE_RECYCLING;
	pcfg.diag = diag;
	fyp = fy_parser_create(&pcfg);
	if (!fyp || fy_parser_set_string(fyp, buf, len) != 0) {
		util_err(err, "%s: cannot set up the YAML parser", name);
		goto out;
	}
	while ((ev = fy_parser_parse(fyp)) != NULL) {
		int r;

		if (ev->type == FYET_SEQUENCE_END || ev->type == FYET_MAPPING_END) {
			if (b.depth > 0)
				b.depth--;
			fy_parser_event_free(fyp, ev);
			continue;
		}
		r = yml_event(&b, ev, err);
		fy_parser_event_free(fyp, ev);
		if (r < 0)
			goto out;
	}
	if (fy_parser_get_stream_error(fyp)) {
		if (b.diag[0])
			util_err(err, "%s:%s", name, b.diag);
		else
			util_err(err, "%s:1:1: the YAML is not well formed", name);
		goto out;
	}
	if (!doc->root || (doc->root->type == YML_SCALAR && doc->root->is_null)) {
		yml_error(doc, NULL, err, "the file is empty");
		goto out;
	}
	rc = 0;
out:
	if (fyp)
		fy_parser_destroy(fyp);
	if (diag)
		fy_diag_destroy(diag);
	if (rc < 0)
		yml_doc_done(doc);
	return rc;
}

int yml_load_file(struct yml_doc *doc, const char *path, char *err)
{
	char *buf;
	size_t len;
	int rc;

	memset(doc, 0, sizeof(*doc));
	if (util_read_file(path, YML_MAX_FILE, &buf, &len, err) < 0)
		return -1;
	rc = yml_load_string(doc, path, buf, len, err);
	free(buf);
	return rc;
}

const char *yml_type_name(const struct yml_node *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YML_SCALAR:
		return n->is_null ? "nothing" : "text";
	case YML_SEQ:
		return "a list";
	case YML_MAP:
		return "a mapping";
	}
	return "?";
}

struct yml_node *yml_map_key(const struct yml_node *map, size_t i)
{
	return map->kids[2 * i];
}

struct yml_node *yml_map_value(const struct yml_node *map, size_t i)
{
	return map->kids[2 * i + 1];
}

struct yml_node *yml_map_get(const struct yml_node *map, const char *key)
{
	if (!map || map->type != YML_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (!strcmp(yml_map_key(map, i)->str, key))
			return yml_map_value(map, i);
	return NULL;
}

int yml_check_keys(const struct yml_doc *doc, const struct yml_node *map, const char *what,
		   const char *const *keys, char *err)
{
	for (size_t i = 0; i < map->n; i++) {
		const struct yml_node *k = yml_map_key(map, i);
		size_t j;

		for (j = 0; keys[j]; j++)
			if (!strcmp(k->str, keys[j]))
				break;
		if (!keys[j]) {
			struct sbuf b;
			int r;

			sbuf_init(&b);
			for (j = 0; keys[j]; j++)
				sbuf_printf(&b, "%s%s", j ? ", " : "", keys[j]);
			r = yml_error(doc, k, err, "unknown key '%s' in %s (known: %s)", k->str,
				      what, b.s);
			sbuf_done(&b);
			return r;
		}
		for (j = 0; j < i; j++)
			if (!strcmp(yml_map_key(map, j)->str, k->str))
				return yml_error(doc, k, err, "key '%s' appears twice in %s",
						 k->str, what);
	}
	return 0;
}

int yml_expect(const struct yml_doc *doc, const struct yml_node *n, enum yml_type type,
	       const char *what, char *err)
{
	static const char *const names[] = { "text", "a list", "a mapping" };

	if (n->type != type || (type == YML_SCALAR && n->is_null))
		return yml_error(doc, n, err, "%s must be %s, not %s", what, names[type],
				 yml_type_name(n));
	return 0;
}

int yml_text(const struct yml_doc *doc, const struct yml_node *n, const char *what,
	     const char **out, char *err)
{
	if (yml_expect(doc, n, YML_SCALAR, what, err) < 0)
		return -1;
	if (n->str[strspn(n->str, " \t\r\n")] == '\0')
		return yml_error(doc, n, err, "%s is empty", what);
	*out = n->str;
	return 0;
}

int yml_int(const struct yml_doc *doc, const struct yml_node *n, const char *what, long min,
	    long max, long *out, char *err)
{
	char *end;
	long v;

	if (yml_expect(doc, n, YML_SCALAR, what, err) < 0)
		return -1;
	v = strtol(n->str, &end, 10);
	if (n->quoted || end == n->str || *end)
		return yml_error(doc, n, err, "%s must be a whole number, not '%s'", what, n->str);
	if (v < min || v > max)
		return yml_error(doc, n, err, "%s must be from %ld to %ld, not %ld", what, min, max,
				 v);
	*out = v;
	return 0;
}

int yml_bool(const struct yml_doc *doc, const struct yml_node *n, const char *what, int *out,
	     char *err)
{
	static const char *const yes[] = { "true", "yes", "on", NULL };
	static const char *const no[] = { "false", "no", "off", NULL };

	if (yml_expect(doc, n, YML_SCALAR, what, err) < 0)
		return -1;
	for (int i = 0; yes[i]; i++) {
		if (!strcasecmp(n->str, yes[i])) {
			*out = 1;
			return 0;
		}
		if (!strcasecmp(n->str, no[i])) {
			*out = 0;
			return 0;
		}
	}
	return yml_error(doc, n, err, "%s must be true or false, not '%s'", what, n->str);
}

int yml_duration(const struct yml_doc *doc, const struct yml_node *n, const char *what,
		 int64_t min_ms, int64_t max_ms, int64_t *out, char *err)
{
	char msg[LIMBER_ERR_LEN], lim[32];
	int64_t ms;

	if (yml_expect(doc, n, YML_SCALAR, what, err) < 0)
		return -1;
	if (duration_parse(n->str, &ms, msg) < 0)
		return yml_error(doc, n, err, "%s: %s", what, msg);
	if (ms == 0)
		return yml_error(doc, n, err, "%s must be longer than zero", what);
	if (ms < min_ms)
		return yml_error(doc, n, err, "%s '%s' is too short (at least %lld ms)", what,
				 n->str, (long long)min_ms);
	if (ms > max_ms) {
		duration_format(max_ms, lim, sizeof(lim));
		return yml_error(doc, n, err, "%s '%s' is too long (at most %s)", what, n->str,
				 lim);
	}
	*out = ms;
	return 0;
}

int yml_choice(const struct yml_doc *doc, const struct yml_node *n, const char *what,
	       const char *const *choices, int *out, char *err)
{
	struct sbuf b;
	int r;

	if (yml_expect(doc, n, YML_SCALAR, what, err) < 0)
		return -1;
	for (int i = 0; choices[i]; i++) {
		if (!strcmp(n->str, choices[i])) {
			*out = i;
			return 0;
		}
	}
	sbuf_init(&b);
	for (int i = 0; choices[i]; i++)
		sbuf_printf(&b, "%s%s", i ? ", " : "", choices[i]);
	r = yml_error(doc, n, err, "%s '%s' is not one of: %s", what, n->str, b.s);
	sbuf_done(&b);
	return r;
}
