/* Background block writer: the file holds exactly the submitted bytes in order,
 * whatever mix of whole blocks (O_DIRECT where allowed), partial blocks and
 * waits; streams that are not regular files get no writer; a failed write
 * shows in the stream's error indicator. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sim/report/rep-blocks.h"

/* The byte at file offset @i: not periodic in any block size. */
static char pattern(size_t i) { return (char)((i * 7 + i / 4093) % 251); }

/* Fills a buffer with the pattern from @from and submits @len bytes of it. */
static void submit(RepBlocks *b, size_t from, size_t len) {
    char *buf = rep_blocks_buffer(b);
    for (size_t i = 0; i < len; i++)
        buf[i] = pattern(from + i);
    rep_blocks_submit(b, buf, len);
}

static void assert_file(FILE *f, size_t total) {
    g_assert_cmpint(ftello(f), ==, (off_t)total); /* the stream knows where it is */
    rewind(f);
    g_autofree char *got = g_malloc(total + 1);
    g_assert_cmpuint(fread(got, 1, total + 1, f), ==, total);
    for (size_t i = 0; i < total; i++)
        if (got[i] != pattern(i))
            g_error("byte %zu is %d, want %d", i, got[i], pattern(i));
}

/* Whole blocks, a partial one (the file offset is then unaligned, so the
 * next whole block cannot go direct), a wait in between and a short tail. */
static void test_sequence(void) {
    FILE *f = tmpfile();
    RepBlocks *b = rep_blocks_new(f);
    g_assert_nonnull(b);
    size_t sizes[] = {REP_BLOCKS_SIZE,
                      REP_BLOCKS_SIZE,
                      REP_BLOCKS_SIZE,
                      1000,
                      0,
                      REP_BLOCKS_SIZE,
                      REP_BLOCKS_SIZE + 5,
                      0,
                      17};
    size_t at = 0;
    for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
        if (sizes[i] == 0) {
            g_assert_true(rep_blocks_wait(b));
            g_assert_cmpint(ftello(f), ==, (off_t)at);
            continue;
        }
        submit(b, at, sizes[i]);
        at += sizes[i];
    }
    rep_blocks_free(b);
    assert_file(f, at);
    g_assert_cmpuint(at, ==, 5 * REP_BLOCKS_SIZE + 1022);
    fclose(f);
}

/* A stream that already holds bytes: the blocks follow them. */
static void test_after_stdio(void) {
    FILE *f = tmpfile();
    for (size_t i = 0; i < 10; i++)
        fputc(pattern(i), f);
    RepBlocks *b = rep_blocks_new(f); /* flushes the 10 bytes */
    submit(b, 10, REP_BLOCKS_SIZE);   /* from an unaligned offset */
    submit(b, 10 + REP_BLOCKS_SIZE, REP_BLOCKS_SIZE);
    submit(b, 10 + 2 * REP_BLOCKS_SIZE, 3);
    g_assert_true(rep_blocks_wait(b));
    fputc(pattern(13 + 2 * REP_BLOCKS_SIZE), f); /* stdio writes on after a wait */
    fflush(f);
    rep_blocks_free(b);
    assert_file(f, 14 + 2 * REP_BLOCKS_SIZE);
    fclose(f);
}

static void test_not_regular(void) {
    char *mem = NULL;
    size_t n = 0;
    FILE *m = open_memstream(&mem, &n);
    g_assert_null(rep_blocks_new(m));
    fclose(m);
    free(mem);
    int fds[2];
    g_assert_cmpint(pipe(fds), ==, 0);
    FILE *p = fdopen(fds[1], "w");
    g_assert_null(rep_blocks_new(p));
    fclose(p);
    close(fds[0]);
    g_assert_null(rep_blocks_new(NULL));
}

/* A write past the file size limit fails with EFBIG: the stream says so. */
static void test_failure(void) {
    if (g_test_subprocess()) {
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit lim = {REP_BLOCKS_SIZE + 100, REP_BLOCKS_SIZE + 100};
        g_assert_cmpint(setrlimit(RLIMIT_FSIZE, &lim), ==, 0);
        FILE *f = tmpfile();
        RepBlocks *b = rep_blocks_new(f);
        submit(b, 0, REP_BLOCKS_SIZE);
        submit(b, REP_BLOCKS_SIZE, REP_BLOCKS_SIZE);
        submit(b, 2 * REP_BLOCKS_SIZE, REP_BLOCKS_SIZE);
        errno = 0;
        g_assert_false(rep_blocks_wait(b));
        g_assert_true(ferror(f));
        g_assert_cmpint(errno, ==, EFBIG);
        g_assert_false(rep_blocks_wait(b)); /* stays failed */
        rep_blocks_free(b);
        clearerr(f);
        g_assert_cmpint(fseeko(f, 0, SEEK_END), ==, 0);
        g_assert_cmpint(ftello(f), ==, (off_t)REP_BLOCKS_SIZE + 100);
        fclose(f);
        return;
    }
    g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
    g_test_trap_assert_passed();
}

int main(int argc, char **argv) {
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/report/blocks/sequence", test_sequence);
    g_test_add_func("/report/blocks/after-stdio", test_after_stdio);
    g_test_add_func("/report/blocks/not-regular", test_not_regular);
    g_test_add_func("/report/blocks/failure", test_failure);
    return g_test_run();
}
