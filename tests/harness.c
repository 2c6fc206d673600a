// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/errno_name.h"
#include "tests/harness.h"

#define MAX_TESTS 1024

static struct {
	const char *name;
	test_fn fn;
} tests[MAX_TESTS];
static unsigned n_tests;
static char tmp_dir[] = "/tmp/ipe-unit.XXXXXX";

void harness_register(const char *name, test_fn fn)
{
	if (n_tests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		abort();
	}
	tests[n_tests].name = name;
	tests[n_tests].fn = fn;
	n_tests++;
}

void harness_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(1);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	_exit(77);
}

const char *harness_errno_name(intmax_t r)
{
	const char *name = r < 0 && r > -4096 ? errno_name((int)-r) : NULL;

	return name ?: "-";
}

const char *test_data_dir(void)
{
	const char *d = getenv("TEST_DATA_DIR");
	return d ? d : "tests/data";
}

const char *test_tmp_dir(void)
{
	return tmp_dir;
}

/* Run one test in a child; its stdout is its failure/skip reason. */
static int run_one(unsigned i, char *why, size_t whylen)
{
	int pipefd[2], status;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	why[0] = 0;
	if (pipe(pipefd) < 0)
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(pipefd[0]);
		dup2(pipefd[1], STDOUT_FILENO);
		tests[i].fn();
		fflush(stdout);
		_exit(0);
	}
	close(pipefd[1]);
	while (got + 1 < whylen && (n = read(pipefd[0], why + got, whylen - got - 1)) > 0)
		got += (size_t)n;
	why[got] = 0;
	close(pipefd[0]);
	while (got && why[got - 1] == '\n')
		why[--got] = 0;
	for (char *p = why; *p; p++)
		if (*p == '\n')
			*p = ' ';
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (WIFSIGNALED(status)) {
		snprintf(why + got, whylen - got, "%skilled by signal %d", got ? "; " : "",
			 WTERMSIG(status));
		return 1;
	}
	return WEXITSTATUS(status);
}

int main(int argc, char *argv[])
{
	unsigned failed = 0;
	const char *only = argc > 1 ? argv[1] : NULL;

	if (!mkdtemp(tmp_dir)) {
		perror("mkdtemp");
		return 1;
	}
	for (unsigned i = 0; i < n_tests; i++) {
		char why[4096];
		int r;

		if (only && strcmp(only, tests[i].name) != 0)
			continue;
		r = run_one(i, why, sizeof(why));
		if (r == 0)
			printf("PASS %s\n", tests[i].name);
		else if (r == 77)
			printf("SKIP %s: %s\n", tests[i].name, why);
		else {
			printf("FAIL %s: %s\n", tests[i].name, why[0] ? why : "failed");
			failed++;
		}
		fflush(stdout);
	}
	if (fork() == 0) {
		execlp("rm", "rm", "-rf", tmp_dir, (char *)NULL);
		_exit(127);
	}
	wait(NULL);
	return failed ? 1 : 0;
}
