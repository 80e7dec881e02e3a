/*
 * yml: YAML files read into a small tree that remembers where every node
 * was written, so each loader (routines, voices, config) can say
 * "path:line:col: what is wrong".
 *
 * libfyaml does the parsing; its document API in 0.7 gives no position
 * for mappings and sequences, so the tree is built from its events. The
 * tree is bounded (file size, depth, node count) and refuses anchors and
 * aliases outright, so an alias bomb costs nothing.
 */
#ifndef LIMBER_YML_H
#define LIMBER_YML_H

#include <stddef.h>
#include <stdint.h>

enum yml_type { YML_SCALAR, YML_SEQ, YML_MAP };

struct yml_node {
	enum yml_type type;
	int line, col;             /* 1-based */
	char *str;                 /* scalar text ("" for null) */
	int is_null;               /* scalar: empty, ~ or null, unquoted */
	int quoted;                /* scalar: written in quotes or as a block */
	size_t n;                  /* sequence items, or mapping pairs */
	struct yml_node **kids;    /* items, or key,value,key,value... */
};

struct yml_doc {
	char *path;
	struct yml_node *root;
	size_t nodes;
};

/*
 * A routine, voice or config file is at most this. The largest routine is 8 KB.
 * libfyaml's scanner holds every token of an open flow collection until it
 * closes: a file of nothing but '[' costs about 350 bytes a byte (1 MiB, 370
 * MB), so this limit is what bounds a load's memory (64 KiB: under 40 MB).
 */
#define YML_MAX_FILE ((size_t)64 * 1024)

int yml_load_file(struct yml_doc *doc, const char *path, char *err);
int yml_load_string(struct yml_doc *doc, const char *name, const char *buf, size_t len,
		    char *err);
void yml_doc_done(struct yml_doc *doc);

/* Write "path:line:col: message" into err; returns -1. */
int yml_error(const struct yml_doc *doc, const struct yml_node *n, char *err, const char *fmt,
	      ...) __attribute__((format(printf, 4, 5)));

const char *yml_type_name(const struct yml_node *n);

/* Mapping access. Keys are the pair's key scalar. */
struct yml_node *yml_map_key(const struct yml_node *map, size_t i);
struct yml_node *yml_map_value(const struct yml_node *map, size_t i);
struct yml_node *yml_map_get(const struct yml_node *map, const char *key);

/* Every key must be one of keys (NULL-terminated) and appear once. */
int yml_check_keys(const struct yml_doc *doc, const struct yml_node *map, const char *what,
		   const char *const *keys, char *err);

int yml_expect(const struct yml_doc *doc, const struct yml_node *n, enum yml_type type,
	       const char *what, char *err);
/* A non-empty scalar; *out points into the tree. */
int yml_text(const struct yml_doc *doc, const struct yml_node *n, const char *what,
	     const char **out, char *err);
int yml_int(const struct yml_doc *doc, const struct yml_node *n, const char *what, long min,
	    long max, long *out, char *err);
int yml_bool(const struct yml_doc *doc, const struct yml_node *n, const char *what, int *out,
	     char *err);
/* A duration in ms within [min_ms, max_ms]; zero and negatives are refused. */
int yml_duration(const struct yml_doc *doc, const struct yml_node *n, const char *what,
		 int64_t min_ms, int64_t max_ms, int64_t *out, char *err);
/* One of the words in choices (NULL-terminated); returns its index in *out. */
int yml_choice(const struct yml_doc *doc, const struct yml_node *n, const char *what,
	       const char *const *choices, int *out, char *err);

#endif
