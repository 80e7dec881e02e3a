/* yml: positions, limits, and hostile input that must stay cheap. */
#include "testutil.h"

#include "yml.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static int load(const char *text, struct yml_doc *doc, char *err)
{
	return yml_load_string(doc, "t.yaml", text, strlen(text), err);
}

static void test_yml_nodes_know_their_line_and_column(void **state)
{
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];
	const struct yml_node *steps, *first;

	(void)state;
	assert_int_equal(load("name: x\nsteps:\n  - {a: 1}\n  - b\n", &doc, err), 0);
	steps = yml_map_get(doc.root, "steps");
	assert_non_null(steps);
	assert_int_equal(steps->type, YML_SEQ);
	assert_int_equal(steps->n, 2);
	first = steps->kids[0];
	assert_int_equal(first->line, 3);
	assert_int_equal(first->col, 5);
	assert_int_equal(steps->kids[1]->line, 4);
	assert_string_equal(yml_map_get(first, "a")->str, "1");
	yml_doc_done(&doc);
}

static void test_yml_syntax_error_has_position(void **state)
{
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];

	(void)state;
	assert_int_equal(load("a: 1\n  b: 2\n", &doc, err), -1);
	assert_non_null(strstr(err, "t.yaml:1:4: "));
}

static void test_yml_alias_bomb_is_refused_at_once(void **state)
{
	struct sbuf b;
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (int i = 1; i < 30; i++) {
		sbuf_printf(&b, "a%d: &a%d [", i, i);
		for (int k = 0; k < 10; k++)
			sbuf_printf(&b, "%s*a%d", k ? ", " : "", i - 1);
		sbuf_add(&b, "]\n");
	}
	assert_int_equal(yml_load_string(&doc, "t.yaml", b.s, b.len, err), -1);
	assert_non_null(strstr(err, "anchors"));
	sbuf_done(&b);
}

static void test_yml_depth_and_node_count_are_bounded(void **state)
{
	struct sbuf b;
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];

	(void)state;
	sbuf_init(&b);
	sbuf_add(&b, "a: ");
	for (int i = 0; i < 100; i++)
		sbuf_add(&b, "[");
	for (int i = 0; i < 100; i++)
		sbuf_add(&b, "]");
	assert_int_equal(yml_load_string(&doc, "t.yaml", b.s, b.len, err), -1);
	assert_non_null(strstr(err, "nested too deeply"));
	sbuf_done(&b);

	sbuf_init(&b);
	sbuf_add(&b, "a: [");
	for (int i = 0; i < 120000; i++)
		sbuf_add(&b, "1,");
	sbuf_add(&b, "1]");
	assert_int_equal(yml_load_string(&doc, "t.yaml", b.s, b.len, err), -1);
	assert_non_null(strstr(err, "too many YAML nodes"));
	sbuf_done(&b);
}

static void write_brackets(const char *path, size_t n)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('[', f);
	fclose(f);
}

static long peak_kb(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/*
 * libfyaml holds an open flow collection's tokens until it closes: 1 MiB of
 * '[' cost 370 MB. The largest file that is read must stay cheap on a 512 MB
 * Pi, and a larger one is refused before the parser sees it.
 */
static void test_yml_the_largest_file_costs_little_memory(void **state)
{
	char path[] = "/tmp/limber-test-yml-XXXXXX", err[LIMBER_ERR_LEN];
	struct yml_doc doc;
	int fd = mkstemp(path);
	long before;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	write_brackets(path, YML_MAX_FILE);
	before = peak_kb();
	assert_int_equal(yml_load_file(&doc, path, err), -1);   /* never closed: not YAML */
	printf("%zu bytes of '[': peak resident +%ld KB\n", YML_MAX_FILE, peak_kb() - before);
	assert_true(peak_kb() - before < 64 * 1024);   /* ASan included */
	write_brackets(path, YML_MAX_FILE + 1);
	assert_int_equal(yml_load_file(&doc, path, err), -1);
	assert_non_null(strstr(err, "file too large"));
	assert_null(doc.root);
	unlink(path);
}

static void test_yml_binary_and_bad_utf8_are_refused_with_position(void **state)
{
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];
	static const char bin[] = "a: 1\nb: \0\n";

	(void)state;
	assert_int_equal(yml_load_string(&doc, "t.yaml", bin, sizeof(bin) - 1, err), -1);
	assert_non_null(strstr(err, "t.yaml:2:4: binary data"));
	assert_int_equal(load("a: 1\nbb: caf\xc3(\n", &doc, err), -1);
	assert_non_null(strstr(err, "t.yaml:2:8: not valid UTF-8"));
	assert_int_equal(load("a: \xed\xa0\x80\n", &doc, err), -1); /* a surrogate */
	assert_int_equal(load("a: caf\xc3\xa9\n", &doc, err), 0);
	yml_doc_done(&doc);
}

static void test_yml_empty_and_null_documents_are_empty(void **state)
{
	static const char *const empty[] = { "", "\n\n", "# only a comment\n", "~\n", "---\n",
					     NULL };
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];

	(void)state;
	for (int i = 0; empty[i]; i++) {
		assert_int_equal(load(empty[i], &doc, err), -1);
		assert_non_null(strstr(err, "the file is empty"));
	}
}

static void test_yml_scalar_helpers_check_types(void **state)
{
	struct yml_doc doc;
	char err[LIMBER_ERR_LEN];
	long v;
	int b;
	int64_t ms;
	const char *s;

	(void)state;
	assert_int_equal(load("n: 7\nq: \"7\"\nb: yes\nd: 1m\nz: 0\ne:\nl: [1]\n", &doc, err), 0);
	assert_int_equal(yml_int(&doc, yml_map_get(doc.root, "n"), "n", 1, 10, &v, err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(yml_int(&doc, yml_map_get(doc.root, "n"), "n", 1, 5, &v, err), -1);
	assert_non_null(strstr(err, "t.yaml:1:4: n must be from 1 to 5, not 7"));
	assert_int_equal(yml_int(&doc, yml_map_get(doc.root, "q"), "q", 1, 10, &v, err), -1);
	assert_int_equal(yml_bool(&doc, yml_map_get(doc.root, "b"), "b", &b, err), 0);
	assert_int_equal(b, 1);
	assert_int_equal(yml_duration(&doc, yml_map_get(doc.root, "d"), "d", 1, 3600000, &ms, err), 0);
	assert_int_equal(ms, 60000);
	assert_int_equal(yml_duration(&doc, yml_map_get(doc.root, "z"), "z", 1, 3600000, &ms, err), -1);
	assert_non_null(strstr(err, "longer than zero"));
	assert_int_equal(yml_text(&doc, yml_map_get(doc.root, "e"), "e", &s, err), -1);
	assert_non_null(strstr(err, "e must be text, not nothing"));
	assert_int_equal(yml_text(&doc, yml_map_get(doc.root, "l"), "l", &s, err), -1);
	assert_non_null(strstr(err, "t.yaml:7:4: l must be text, not a list"));
	yml_doc_done(&doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_yml_nodes_know_their_line_and_column),
		cmocka_unit_test(test_yml_syntax_error_has_position),
		cmocka_unit_test(test_yml_alias_bomb_is_refused_at_once),
		cmocka_unit_test(test_yml_depth_and_node_count_are_bounded),
		cmocka_unit_test(test_yml_the_largest_file_costs_little_memory),
		cmocka_unit_test(test_yml_binary_and_bad_utf8_are_refused_with_position),
		cmocka_unit_test(test_yml_empty_and_null_documents_are_empty),
		cmocka_unit_test(test_yml_scalar_helpers_check_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
