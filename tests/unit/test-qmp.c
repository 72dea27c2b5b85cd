/*
 * Unit tests for the QMP dispatcher, the JSON framer and the registry.
 *
 * A session is fed raw bytes exactly as a socket would deliver them; the
 * reply lines are collected and parsed back with json-glib, so every check
 * is on the JSON a client would see.
 */
#include "qemu/osdep.h"
#include <check.h>
#include "qapi/qmp-registry.h"
#include "monitor/qmp.h"
#include "qemu/fdstore.h"

static GPtrArray *lines;   /* reply lines of the current test */
static QmpSession *sess;
static int fake_fd = -1;

static void collect(void *opaque, const char *line)
{
    g_ptr_array_add(lines, g_strdup(line));
}

static int take_fake_fd(void *opaque)
{
    int fd = fake_fd;

    fake_fd = -1;
    return fd;
}

/* test-echo: returns its arguments; accepts a, b, n. */
static void cmd_echo(JsonObject *args, JsonNode **ret, Error **errp)
{
    JsonNode *node = json_node_alloc();

    json_node_init_object(node, args);
    *ret = node;
}

/* test-int: needs integer n and string s; optional bool flag. */
static void cmd_int(JsonObject *args, JsonNode **ret, Error **errp)
{
    int64_t n;
    const char *s;
    bool flag = false, present;
    Error *err = NULL;
    JsonObject *o;

    if (!qmp_arg_int(args, "n", &n, errp) || !qmp_arg_str(args, "s", &s, errp)) {
        return;
    }
    qmp_arg_bool_opt(args, "flag", &flag, &present, &err);
    if (err) {
        error_propagate(errp, err);
        return;
    }
    o = json_object_new();
    json_object_set_int_member(o, "n2", n * 2);
    json_object_set_string_member(o, "s", s);
    json_object_set_boolean_member(o, "flag", flag);
    *ret = json_node_init_object(json_node_alloc(), o);
    json_object_unref(o);
}

static void cmd_fail(JsonObject *args, JsonNode **ret, Error **errp)
{
    error_setg(errp, "this command always fails");
}

static const char *const echo_args[] = { "a", "b", "n", NULL };
static const char *const int_args[] = { "n", "s", "flag", NULL };

static void setup(void)
{
    lines = g_ptr_array_new_with_free_func(g_free);
    sess = qmp_session_new(collect, take_fake_fd, NULL);
    qmp_register_command("test-echo", cmd_echo, echo_args, 0);
    qmp_register_command("test-int", cmd_int, int_args, 0);
    qmp_register_command("test-fail", cmd_fail, NULL, 0);
}

static void teardown(void)
{
    qmp_session_free(sess);
    g_ptr_array_free(lines, TRUE);
    fdstore_clear();
}

static void feed(const char *s)
{
    qmp_session_feed(sess, (const uint8_t *)s, strlen(s));
}

static void negotiate(void)
{
    g_ptr_array_set_size(lines, 0);
    feed("{\"execute\": \"qmp_capabilities\"}");
    ck_assert_uint_eq(lines->len, 1);
    ck_assert_str_eq(g_ptr_array_index(lines, 0), "{\"return\": {}}");
    g_ptr_array_set_size(lines, 0);
}

/* Parse reply line i; the returned parser owns the object. */
static JsonObject *reply(guint i, JsonParser **parser)
{
    JsonNode *root;

    ck_assert_uint_gt(lines->len, i);
    *parser = json_parser_new();
    ck_assert_msg(json_parser_load_from_data(*parser,
                                             g_ptr_array_index(lines, i), -1,
                                             NULL),
                  "reply is not JSON: %s", (char *)g_ptr_array_index(lines, i));
    root = json_parser_get_root(*parser);
    ck_assert(JSON_NODE_HOLDS_OBJECT(root));
    return json_node_get_object(root);
}

/* Assert reply i is an error of class cls whose desc contains needle. */
static void assert_error(guint i, const char *cls, const char *needle)
{
    JsonParser *p;
    JsonObject *o = reply(i, &p);
    JsonObject *err;

    ck_assert_msg(json_object_has_member(o, "error"), "not an error: %s",
                  (char *)g_ptr_array_index(lines, i));
    err = json_object_get_object_member(o, "error");
    ck_assert_str_eq(json_object_get_string_member(err, "class"), cls);
    ck_assert_msg(strstr(json_object_get_string_member(err, "desc"), needle),
                  "desc '%s' lacks '%s'",
                  json_object_get_string_member(err, "desc"), needle);
    g_object_unref(p);
}

static void assert_return(guint i)
{
    JsonParser *p;
    JsonObject *o = reply(i, &p);

    ck_assert_msg(json_object_has_member(o, "return"), "not a return: %s",
                  (char *)g_ptr_array_index(lines, i));
    g_object_unref(p);
}

START_TEST(test_greeting)
{
    char *g = qmp_greeting_line();
    JsonParser *p = json_parser_new();
    JsonObject *qmp, *ver;

    ck_assert(json_parser_load_from_data(p, g, -1, NULL));
    qmp = json_object_get_object_member(
        json_node_get_object(json_parser_get_root(p)), "QMP");
    ver = json_object_get_object_member(
        json_object_get_object_member(qmp, "version"), "qemu");
    ck_assert_int_eq(json_object_get_int_member(ver, "major"), 7);
    ck_assert(json_object_has_member(ver, "minor"));
    ck_assert(json_object_has_member(ver, "micro"));
    ck_assert_str_eq(json_array_get_string_element(
        json_object_get_array_member(qmp, "capabilities"), 0), "oob");
    /* QEMU's spacing, which naive clients grep for. */
    ck_assert(g_str_has_prefix(g, "{\"QMP\": {\"version\": {\"qemu\": "
                               "{\"micro\": "));
    g_object_unref(p);
    g_free(g);
}
END_TEST

START_TEST(test_event_line)
{
    JsonObject *data = json_object_new();
    char *l;

    l = qmp_event_line("STOP", NULL, 1234567890123456789LL);
    ck_assert_str_eq(l, "{\"timestamp\": {\"seconds\": 1234567890, "
                     "\"microseconds\": 123456}, \"event\": \"STOP\"}");
    g_free(l);
    json_object_set_string_member(data, "status", "completed");
    l = qmp_event_line("MIGRATION", data, 2000001000);
    ck_assert_str_eq(l, "{\"timestamp\": {\"seconds\": 2, \"microseconds\": 1}, "
                     "\"event\": \"MIGRATION\", \"data\": "
                     "{\"status\": \"completed\"}}");
    g_free(l);
    json_object_unref(data);
}
END_TEST

START_TEST(test_negotiation_required)
{
    feed("{\"execute\": \"test-echo\"}");
    assert_error(0, "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    negotiate();
    feed("{\"execute\": \"qmp_capabilities\"}");
    assert_error(0, "CommandNotFound", "already complete");
    feed("{\"execute\": \"test-echo\"}");
    assert_return(1);
}
END_TEST

START_TEST(test_capabilities_oob)
{
    feed("{\"execute\": \"qmp_capabilities\", \"arguments\": "
         "{\"enable\": [\"bogus\"]}}");
    assert_error(0, "GenericError", "bogus");
    ck_assert(!sess->negotiated);
    feed("{\"execute\": \"qmp_capabilities\", \"arguments\": {\"x\": 1}}");
    assert_error(1, "GenericError", "Parameter 'x' is unexpected");
    feed("{\"execute\": \"qmp_capabilities\", \"arguments\": "
         "{\"enable\": [\"oob\"]}}");
    assert_return(2);
    ck_assert(sess->negotiated && sess->oob_enabled);
    feed("{\"exec-oob\": \"test-echo\", \"id\": 5}");
    ck_assert_str_eq(g_ptr_array_index(lines, 3), "{\"return\": {}, \"id\": 5}");
}
END_TEST

START_TEST(test_exec_oob_refused_without_cap)
{
    negotiate();
    feed("{\"exec-oob\": \"test-echo\"}");
    assert_error(0, "GenericError", "oob");
}
END_TEST

START_TEST(test_id_echo)
{
    negotiate();
    feed("{\"execute\": \"test-echo\", \"id\": \"abc\"}");
    ck_assert_str_eq(g_ptr_array_index(lines, 0),
                     "{\"return\": {}, \"id\": \"abc\"}");
    feed("{\"execute\": \"nope\", \"id\": {\"k\": [1, 2]}}");
    ck_assert_str_eq(g_ptr_array_index(lines, 1),
                     "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                     "\"The command nope has not been found\"}, "
                     "\"id\": {\"k\": [1, 2]}}");
    feed("{\"id\": 7, \"execute\": \"test-fail\"}");
    assert_error(2, "GenericError", "always fails");
    ck_assert(strstr(g_ptr_array_index(lines, 2), "\"id\": 7"));
}
END_TEST

START_TEST(test_arguments_returned)
{
    negotiate();
    feed("{\"execute\": \"test-echo\", \"arguments\": {\"a\": \"x\\\"}{\", "
         "\"b\": [true, null, 1.5]}}");
    ck_assert_str_eq(g_ptr_array_index(lines, 0),
                     "{\"return\": {\"a\": \"x\\\"}{\", "
                     "\"b\": [true, null, 1.5]}}");
}
END_TEST

/* QEMU accepts single-quoted strings; brackets inside them do not count. */
START_TEST(test_single_quotes)
{
    negotiate();
    feed("{'execute': 'test-echo', 'arguments': {'a': '}\"]'}}");
    ck_assert_str_eq(g_ptr_array_index(lines, 0),
                     "{\"return\": {\"a\": \"}\\\"]\"}}");
}
END_TEST

START_TEST(test_unknown_argument)
{
    negotiate();
    feed("{\"execute\": \"test-echo\", \"arguments\": {\"a\": 1, \"zz\": 2}}");
    assert_error(0, "GenericError", "Parameter 'zz' is unexpected");
    feed("{\"execute\": \"test-fail\", \"arguments\": {\"q\": 1}}");
    assert_error(1, "GenericError", "Parameter 'q' is unexpected");
}
END_TEST

START_TEST(test_missing_and_bad_arguments)
{
    negotiate();
    feed("{\"execute\": \"test-int\", \"arguments\": {\"s\": \"x\"}}");
    assert_error(0, "GenericError", "Parameter 'n' is missing");
    feed("{\"execute\": \"test-int\", \"arguments\": {\"n\": \"1\", \"s\": \"x\"}}");
    assert_error(1, "GenericError",
                 "Invalid parameter type for 'n', expected: integer");
    feed("{\"execute\": \"test-int\", \"arguments\": {\"n\": 1, \"s\": 2}}");
    assert_error(2, "GenericError",
                 "Invalid parameter type for 's', expected: string");
    feed("{\"execute\": \"test-int\", \"arguments\": {\"n\": 1.5, \"s\": \"x\"}}");
    assert_error(3, "GenericError", "expected: integer");
    feed("{\"execute\": \"test-int\", \"arguments\": "
         "{\"n\": 1, \"s\": \"x\", \"flag\": 0}}");
    assert_error(4, "GenericError", "expected: boolean");
    feed("{\"execute\": \"test-int\", \"arguments\": "
         "{\"n\": 21, \"s\": \"x\", \"flag\": true}}");
    ck_assert_str_eq(g_ptr_array_index(lines, 5),
                     "{\"return\": {\"n2\": 42, \"s\": \"x\", \"flag\": true}}");
    feed("{\"execute\": \"test-int\", \"arguments\": [1]}");
    assert_error(6, "GenericError", "'arguments' must be an object");
}
END_TEST

START_TEST(test_envelope_errors)
{
    negotiate();
    feed("{\"arguments\": {}}");
    assert_error(0, "GenericError", "QMP input lacks member 'execute'");
    feed("{\"execute\": 3}");
    assert_error(1, "GenericError", "'execute' must be a string");
    feed("{\"execute\": \"test-echo\", \"extra\": 1}");
    assert_error(2, "GenericError", "QMP input member 'extra' is unexpected");
    feed("[1, 2]");
    assert_error(3, "GenericError", "QMP input must be a JSON object");
    feed("42 ");
    assert_error(4, "GenericError", "QMP input must be a JSON object");
    feed("\"str\"");
    assert_error(5, "GenericError", "QMP input must be a JSON object");
    /* Still usable afterwards. */
    feed("{\"execute\": \"test-echo\"}");
    assert_return(6);
}
END_TEST

START_TEST(test_malformed_json)
{
    negotiate();
    feed("{\"execute\": }");
    assert_error(0, "GenericError", "JSON parse error");
    feed("{\"execute\" \"x\"}");
    assert_error(1, "GenericError", "JSON parse error");
    feed("{\"a\": [1, 2}]");   /* mismatched brackets, still one value */
    assert_error(2, "GenericError", "JSON parse error");
    feed("}");
    assert_error(3, "GenericError", "unexpected '}'");
    feed("nonsense ");
    assert_error(4, "GenericError", "JSON parse error");
    feed("{\"execute\": \"test-echo\"}");
    assert_return(5);
    /* A NUL byte outside a string is garbage, answered like any other. */
    {
        static const char nul_req[] = "\0 {\"execute\": \"test-echo\"}";
        qmp_session_feed(sess, (const uint8_t *)nul_req, sizeof(nul_req) - 1);
    }
    assert_error(6, "GenericError", "JSON parse error");
    assert_return(7);
    ck_assert_uint_eq(lines->len, 8);
}
END_TEST

START_TEST(test_framing_split_and_batched)
{
    const char *req = "{\"execute\": \"test-echo\", \"arguments\": "
                      "{\"a\": \"{[\\\"}\"}, \"id\": 1}";
    size_t i;

    negotiate();
    /* One byte at a time, as a slow socket might deliver it. */
    for (i = 0; req[i]; i++) {
        qmp_session_feed(sess, (const uint8_t *)&req[i], 1);
        ck_assert_uint_eq(lines->len, (req[i + 1] ? 0u : 1u));
    }
    ck_assert_str_eq(g_ptr_array_index(lines, 0),
                     "{\"return\": {\"a\": \"{[\\\"}\"}, \"id\": 1}");
    /* Several requests in one read, with whitespace in between. */
    feed("{\"execute\":\"test-echo\",\"id\":2}\r\n  {\"execute\":\"test-echo\","
         "\"id\":3}{\"execute\":\"test-echo\",\"id\":4}");
    ck_assert_uint_eq(lines->len, 4);
    ck_assert(strstr(g_ptr_array_index(lines, 3), "\"id\": 4"));
}
END_TEST

START_TEST(test_nesting_too_deep)
{
    GString *s = g_string_new("{\"execute\": \"test-echo\", \"arguments\": "
                              "{\"a\": ");
    int i;

    negotiate();
    for (i = 0; i < 100; i++) {
        g_string_append_c(s, '[');
    }
    for (i = 0; i < 100; i++) {
        g_string_append_c(s, ']');
    }
    g_string_append(s, "}}");
    feed(s->str);
    ck_assert_uint_eq(lines->len, 1);
    assert_error(0, "GenericError", "nesting deeper than 64");
    /* Resynchronised: the next request works. */
    feed("{\"execute\": \"test-echo\", \"id\": 9}");
    ck_assert_uint_eq(lines->len, 2);
    assert_return(1);
    /* Depth 60 is fine. */
    g_string_assign(s, "{\"execute\": \"test-echo\", \"arguments\": {\"a\": ");
    for (i = 0; i < 60; i++) {
        g_string_append_c(s, '[');
    }
    for (i = 0; i < 60; i++) {
        g_string_append_c(s, ']');
    }
    g_string_append(s, "}}");
    feed(s->str);
    assert_return(2);
    g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_oversize_request)
{
    GString *s = g_string_new("{\"execute\": \"test-echo\", \"arguments\": "
                              "{\"a\": \"");
    char *pad = g_strnfill(2 * MiB, 'x');

    negotiate();
    g_string_append(s, pad);
    g_string_append(s, "\"}}");
    feed(s->str);
    ck_assert_uint_eq(lines->len, 1);
    assert_error(0, "GenericError", "exceeds 1048576 bytes");
    feed("{\"execute\": \"test-echo\", \"id\": 1}");
    ck_assert_uint_eq(lines->len, 2);
    assert_return(1);
    g_free(pad);
    g_string_free(s, TRUE);
}
END_TEST

START_TEST(test_reset_byte)
{
    negotiate();
    feed("{\"execute\": \"test-ec");
    qmp_session_feed(sess, (const uint8_t *)"\xff", 1);
    assert_error(0, "GenericError", "0xFF");
    feed("{\"execute\": \"test-echo\"}");
    assert_return(1);
    /* A reset between requests is silent. */
    qmp_session_feed(sess, (const uint8_t *)"\xff", 1);
    ck_assert_uint_eq(lines->len, 2);
}
END_TEST

START_TEST(test_session_reset)
{
    negotiate();
    feed("{\"execute\": \"test-echo\"");   /* half a request, then reconnect */
    qmp_session_reset(sess);
    ck_assert(!sess->negotiated);
    feed("{\"execute\": \"test-echo\"}");
    assert_error(0, "CommandNotFound", "Expecting capabilities");
}
END_TEST

START_TEST(test_dispatch_direct)
{
    char *l;

    sess->negotiated = true;
    l = qmp_session_dispatch(sess, "{\"execute\": \"test-fail\"}", 24);
    ck_assert_str_eq(l, "{\"error\": {\"class\": \"GenericError\", "
                     "\"desc\": \"this command always fails\"}}");
    g_free(l);
}
END_TEST

START_TEST(test_registry)
{
    GPtrArray *cmds;
    guint i;

    ck_assert_ptr_nonnull(qmp_find_command("test-echo"));
    ck_assert_ptr_null(qmp_find_command("no-such"));
    ck_assert_ptr_null(qmp_find_command(NULL));
    cmds = qmp_list_commands();
    ck_assert_uint_ge(cmds->len, 3);
    for (i = 1; i < cmds->len; i++) {
        const QmpCommand *a = g_ptr_array_index(cmds, i - 1);
        const QmpCommand *b = g_ptr_array_index(cmds, i);
        ck_assert_int_lt(strcmp(a->name, b->name), 0);
    }
    g_ptr_array_free(cmds, TRUE);
}
END_TEST

START_TEST(test_system_commands)
{
    JsonParser *p;
    JsonObject *o;

    qmp_register_system_commands();
    negotiate();
    feed("{\"execute\": \"query-version\"}");
    o = json_object_get_object_member(reply(0, &p), "return");
    ck_assert_int_eq(json_object_get_int_member(
        json_object_get_object_member(o, "qemu"), "major"), 7);
    g_object_unref(p);
    feed("{\"execute\": \"query-commands\"}");
    ck_assert(strstr(g_ptr_array_index(lines, 1), "{\"name\": \"query-status\"}"));
    ck_assert(strstr(g_ptr_array_index(lines, 1), "{\"name\": \"qmp_capabilities\"}"));
    feed("{\"execute\": \"query-version\", \"arguments\": {\"x\": 1}}");
    assert_error(2, "GenericError", "Parameter 'x' is unexpected");
    feed("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0}}");
    assert_error(3, "GenericError", "Parameter 'size' is missing");
    feed("{\"execute\": \"pmemsave\", \"arguments\": {\"val\": 0, \"size\": -1, "
         "\"filename\": \"/nonexistent/x\"}}");
    assert_error(4, "GenericError", "size");
    feed("{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"nope\"}}");
    assert_error(5, "GenericError", "'nope' not found");
    feed("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"f\"}}");
    assert_error(6, "GenericError", "No file descriptor supplied");
}
END_TEST

START_TEST(test_getfd_closefd)
{
    int fds[2];
    int dup_fd;

    qmp_register_system_commands();
    negotiate();
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[1]);
    fake_fd = fds[0];
    feed("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"mig\"}}");
    assert_return(0);
    dup_fd = fdstore_take("mig");
    ck_assert_int_ge(dup_fd, 0);
    ck_assert_int_ne(dup_fd, fds[0]);
    close(dup_fd);
    ck_assert_int_eq(fdstore_take("other"), -1);
    feed("{\"execute\": \"closefd\", \"arguments\": {\"fdname\": \"mig\"}}");
    assert_return(1);
    ck_assert_int_eq(fdstore_take("mig"), -1);
    /* Names that look like numbers are refused, as in QEMU. */
    ck_assert_int_eq(pipe(fds), 0);
    close(fds[1]);
    fake_fd = fds[0];
    feed("{\"execute\": \"getfd\", \"arguments\": {\"fdname\": \"3x\"}}");
    assert_error(2, "GenericError", "digit");
}
END_TEST

/* Framer output recorder: "T:<text>" or "E:<error>". */
static void framer_record(void *opaque, const char *text, size_t len,
                          const char *error)
{
    g_ptr_array_add(opaque, error ? g_strconcat("E:", error, NULL)
                                  : g_strconcat("T:", text, NULL));
}

START_TEST(test_framer_direct)
{
    JsonFramer f;
    GPtrArray *got = g_ptr_array_new_with_free_func(g_free);

    json_framer_init(&f, framer_record, got);
    f.max_depth = 2;
    f.max_size = 16;
    const char *in1 = "[[1]] [[[1]]] true\n{\"a\":\"}\"}";
    const char *in2 = "[\"0123456789abcdef\"] [2]";

    json_framer_feed(&f, (const uint8_t *)in1, strlen(in1));
    ck_assert_uint_eq(got->len, 4);
    ck_assert_str_eq(g_ptr_array_index(got, 0), "T:[[1]]");
    ck_assert(g_str_has_prefix(g_ptr_array_index(got, 1), "E:"));
    ck_assert_str_eq(g_ptr_array_index(got, 2), "T:true");
    ck_assert_str_eq(g_ptr_array_index(got, 3), "T:{\"a\":\"}\"}");
    json_framer_feed(&f, (const uint8_t *)in2, strlen(in2));
    ck_assert_uint_eq(got->len, 6);
    ck_assert(g_str_has_prefix(g_ptr_array_index(got, 4), "E:"));
    ck_assert_str_eq(g_ptr_array_index(got, 5), "T:[2]");
    json_framer_destroy(&f);
    g_ptr_array_free(got, TRUE);
}
END_TEST

/*
 * Random bytes from a JSON-heavy alphabet, fixed seed: whatever the framer
 * and parser make of them, every reply is a JSON object and the session
 * answers a real request afterwards.
 */
START_TEST(test_random_input)
{
    static const char alphabet[] = "{}[]\"':,\\ \n0123456789eE.-+truefalsn"
                                   "executeargumentsid\x01\x7f\xc3\xa9";
    GRand *rng = g_rand_new_with_seed(12345);
    uint8_t buf[4096];
    JsonParser *p;
    guint i, j, before;

    negotiate();
    for (i = 0; i < 64; i++) {
        for (j = 0; j < sizeof(buf); j++) {
            buf[j] = (uint8_t)alphabet[g_rand_int_range(rng, 0,
                                                        sizeof(alphabet) - 1)];
        }
        qmp_session_feed(sess, buf, sizeof(buf));
    }
    ck_assert_uint_gt(lines->len, 100);   /* the input really was framed */
    for (i = 0; i < lines->len; i++) {
        reply(i, &p);
        g_object_unref(p);
    }
    qmp_session_feed(sess, (const uint8_t *)"\xff", 1);
    before = lines->len;
    feed("{\"execute\": \"test-echo\", \"id\": \"after\"}");
    ck_assert_str_eq(g_ptr_array_index(lines, lines->len - 1),
                     "{\"return\": {}, \"id\": \"after\"}");
    ck_assert_uint_ge(lines->len, before + 1);
    g_rand_free(rng);
}
END_TEST

static Suite *qmp_suite(void)
{
    Suite *s = suite_create("qmp");
    TCase *tc = tcase_create("dispatch");

    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_greeting);
    tcase_add_test(tc, test_event_line);
    tcase_add_test(tc, test_negotiation_required);
    tcase_add_test(tc, test_capabilities_oob);
    tcase_add_test(tc, test_exec_oob_refused_without_cap);
    tcase_add_test(tc, test_id_echo);
    tcase_add_test(tc, test_arguments_returned);
    tcase_add_test(tc, test_single_quotes);
    tcase_add_test(tc, test_unknown_argument);
    tcase_add_test(tc, test_missing_and_bad_arguments);
    tcase_add_test(tc, test_envelope_errors);
    tcase_add_test(tc, test_malformed_json);
    tcase_add_test(tc, test_framing_split_and_batched);
    tcase_add_test(tc, test_nesting_too_deep);
    tcase_add_test(tc, test_oversize_request);
    tcase_add_test(tc, test_reset_byte);
    tcase_add_test(tc, test_session_reset);
    tcase_add_test(tc, test_dispatch_direct);
    tcase_add_test(tc, test_registry);
    tcase_add_test(tc, test_system_commands);
    tcase_add_test(tc, test_getfd_closefd);
    tcase_add_test(tc, test_framer_direct);
    tcase_add_test(tc, test_random_input);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(qmp_suite());
    int failed;

    srunner_run_all(sr, CK_NORMAL);
    failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
