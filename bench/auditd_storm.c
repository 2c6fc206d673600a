// SPDX-License-Identifier: GPL-2.0-only
/*
 * Load generator for bench/auditd.sh (not installed):
 *   auditd_storm exec N PAR PATH   spawn PATH N times, PAR children at once
 *   auditd_storm mmap N            N anonymous mmap(PROT_READ|PROT_EXEC) + munmap
 * Prints "SECONDS RATE CPU": wall seconds, operations per second, and the
 * CPU seconds (user + system) of this process and its children, where the
 * BPF programs' time is charged (they run in the watched task's context).
 */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static double cpu(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char *argv[])
{
	double t0;
	long n;

	if (argc < 3)
		return 2;
	n = atol(argv[2]);
	t0 = now();
	if (argv[1][0] == 'e' && argc == 5) {
		long par = atol(argv[3]), running = 0;
		char *args[] = { argv[4], NULL };

		for (long i = 0; i < n; i++) {
			pid_t pid;

			if (running == par) {
				if (wait(NULL) < 0)
					return 1;
				running--;
			}
			if (posix_spawn(&pid, argv[4], NULL, NULL, args, environ) != 0)
				return 1;
			running++;
		}
		while (running-- > 0)
			wait(NULL);
	} else if (argv[1][0] == 'm') {
		for (long i = 0; i < n; i++) {
			void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (p == MAP_FAILED)
				return 1;
			munmap(p, 4096);
		}
	} else
		return 2;
	t0 = now() - t0;
	printf("%.4f %.0f %.4f\n", t0, (double)n / t0, cpu(RUSAGE_SELF) + cpu(RUSAGE_CHILDREN));
	return 0;
}
