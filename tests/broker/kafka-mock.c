/* kafka-mock - an in-memory Kafka for tests and the demo: librdkafka's
 * mock cluster (the real Kafka protocol over TCP on loopback), three
 * brokers, at most 5 MiB kept per partition. Prints its bootstrap list
 * and runs until SIGINT or SIGTERM. Real Kafka: docker-compose.yaml.
 *
 * With -c FILE (a FIFO, made when missing; "-" for stdin) it reads
 * control commands, one a line, for fault tests:
 *	down ID | up ID			take broker ID down or up
 *	create TOPIC PARTS		create a topic
 *	leader TOPIC PART ID		move the partition's leader to broker
 *					ID (a failover: the old one answers
 *					"Not leader")
 *	topic-error TOPIC CODE		metadata for TOPIC answers error CODE
 *					(3: unknown topic; 0 clears it)
 *	error API CODE COUNT		the next COUNT requests of type API
 *					answer error CODE
 *	berror ID API CODE COUNT	the same, on broker ID only
 *	pending ID API			write "kafka-mock: pending ID API N":
 *					N of broker ID's errors for API are
 *					still to answer (0: every one was hit)
 * Each command done is said on stderr: "kafka-mock: done: LINE". */
#include <sys/stat.h>

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include "kp.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: kafka-mock [-b brokers] [-p partitions] [-o file] [-c file]\n"
	    "                  [topic[:partitions] ...]\n"
	    "An in-memory test broker (librdkafka's mock cluster) holding at most 5 MiB\n"
	    "per partition; topics it does not know are made with 4 partitions on\n"
	    "first use. docker-compose.yaml runs a real Kafka.\n");
	exit(f == stdout ? 0 : EX_USAGE);
}

static void
create(rd_kafka_mock_cluster_t *mc, const char *arg, int defparts)
{
	char name[256];
	const char *colon = strchr(arg, ':');
	size_t n = colon ? (size_t)(colon - arg) : strlen(arg);
	int parts = colon ? (int)kp_num(colon + 1, 1, 10000, "partitions") :
	    defparts;

	if (n == 0 || n >= sizeof(name))
		errx(EX_USAGE, "bad topic name '%s'", arg);
	memcpy(name, arg, n);
	name[n] = '\0';
	if (rd_kafka_mock_topic_create(mc, name, parts, 1) !=
	    RD_KAFKA_RESP_ERR_NO_ERROR)
		warnx("cannot create topic %s", name);
}

static void
command(rd_kafka_mock_cluster_t *mc, const char *line)
{
	char what[32], arg[256];
	long a = 0, b = 0, c = 0, d = 0;

	if (sscanf(line, "%31s", what) < 1)
		return;
	if (strcmp(what, "down") == 0 && sscanf(line, "%*s %ld", &a) == 1)
		rd_kafka_mock_broker_set_down(mc, (int32_t)a);
	else if (strcmp(what, "up") == 0 && sscanf(line, "%*s %ld", &a) == 1)
		rd_kafka_mock_broker_set_up(mc, (int32_t)a);
	else if ((strcmp(what, "create") == 0 || strcmp(what, "topic") == 0) &&
	    sscanf(line, "%*s %255s %ld", arg, &a) == 2 && a > 0)
		rd_kafka_mock_topic_create(mc, arg, (int)a, 1);
	else if (strcmp(what, "leader") == 0 &&
	    sscanf(line, "%*s %255s %ld %ld", arg, &a, &b) == 3)
		rd_kafka_mock_partition_set_leader(mc, arg, (int32_t)a,
		    (int32_t)b);
	else if (strcmp(what, "topic-error") == 0 &&
	    sscanf(line, "%*s %255s %ld", arg, &a) == 2)
		rd_kafka_mock_topic_set_error(mc, arg, (rd_kafka_resp_err_t)a);
	else if (strcmp(what, "error") == 0 &&
	    sscanf(line, "%*s %ld %ld %ld", &a, &b, &c) == 3) {
		while (c-- > 0)
			rd_kafka_mock_push_request_errors(mc, (int16_t)a, 1,
			    (rd_kafka_resp_err_t)b);
	} else if (strcmp(what, "berror") == 0 &&
	    sscanf(line, "%*s %ld %ld %ld %ld", &a, &b, &c, &d) == 4) {
		while (d-- > 0)
			rd_kafka_mock_broker_push_request_error_rtts(mc,
			    (int32_t)a, (int16_t)b, 1, (rd_kafka_resp_err_t)c,
			    0);
	} else if (strcmp(what, "pending") == 0 &&
	    sscanf(line, "%*s %ld %ld", &a, &b) == 2) {
		size_t n = 0;

		if (rd_kafka_mock_broker_error_stack_cnt(mc, (int32_t)a,
		    (int16_t)b, &n) != RD_KAFKA_RESP_ERR_NO_ERROR) {
			warnx("no broker %ld: %s", a, line);
			return;
		}
		fprintf(stderr, "kafka-mock: pending %ld %ld %zu\n", a, b, n);
	} else {
		warnx("unknown command: %s", line);
		return;
	}
	fprintf(stderr, "kafka-mock: done: %s\n", line);
}

/* The control input: stdin, or a FIFO opened read-write so that it
 * never reads as ended between writers. */
static int
control_open(const char *path)
{
	int fd;

	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	if (mkfifo(path, 0600) < 0 && errno != EEXIST)
		err(EX_IOERR, "mkfifo %s", path);
	if ((fd = open(path, O_RDWR | O_NONBLOCK)) < 0)
		err(EX_IOERR, "%s", path);
	return fd;
}

/* Run the commands in what arrived on fd; -1 when it ended. */
static int
control_read(rd_kafka_mock_cluster_t *mc, int fd, struct buf *b)
{
	ssize_t n;
	char *nl;
	size_t k;

	buf_grow(b, 4096);
	n = read(fd, b->p + b->len, b->cap - b->len);
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
		return -1;
	if (n < 0)
		return 0;
	b->len += (size_t)n;
	while ((nl = memchr(b->p, '\n', b->len)) != NULL) {
		*nl = '\0';
		command(mc, b->p);
		k = (size_t)(nl - b->p) + 1;
		memmove(b->p, nl + 1, b->len - k);
		b->len -= k;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	rd_kafka_conf_t *conf;
	rd_kafka_t *rk;
	rd_kafka_mock_cluster_t *mc;
	const char *outfile = NULL, *ctlpath = NULL, *bs;
	char errstr[512];
	int ch, parts = 4, brokers = 3, i;
	struct buf cmd = { 0 };
	struct pollfd pfd;
	sigset_t sigs, old;
	FILE *f;

	while ((ch = getopt_long(argc, argv, "b:c:p:o:h", longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'b':
			brokers = (int)kp_num(optarg, 1, 16, "-b");
			break;
		case 'c':
			ctlpath = optarg;
			break;
		case 'p':
			parts = (int)kp_num(optarg, 1, 10000, "-p");
			break;
		case 'o':
			outfile = optarg;
			break;
		case 'h':
			usage(stdout);
			break;
		default:
			usage(stderr);
		}
	}
	kp_signals();
	pfd.fd = ctlpath != NULL ? control_open(ctlpath) : -1;
	pfd.events = POLLIN;
	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "log_level", "3", errstr,
	    sizeof(errstr)) != RD_KAFKA_CONF_OK)
		errx(1, "%s", errstr);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (rk == NULL)
		errx(1, "rd_kafka_new: %s", errstr);
	/* the cluster's thread must leave SIGINT/SIGTERM to this one */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, &old);
	mc = rd_kafka_mock_cluster_new(rk, brokers);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (mc == NULL)
		errx(1, "cannot start the mock cluster");
	for (i = optind; i < argc; i++)
		create(mc, argv[i], parts);
	bs = rd_kafka_mock_cluster_bootstraps(mc);
	fprintf(stderr, "kafka-mock: in-memory test broker (librdkafka mock "
	    "cluster, %d brokers, at most 5 MiB per partition; "
	    "docker-compose.yaml runs a real Kafka) at %s\n", brokers, bs);
	if (outfile != NULL) {
		if ((f = fopen(outfile, "w")) == NULL)
			err(EX_IOERR, "%s", outfile);
		fprintf(f, "%s\n", bs);
		if (fclose(f) != 0)
			err(EX_IOERR, "%s", outfile);
	}
	printf("%s\n", bs);
	fflush(stdout);
	while (!kp_stop)	/* poll() skips a negative fd */
		if (poll(&pfd, 1, 1000) > 0 &&
		    control_read(mc, pfd.fd, &cmd) < 0)
			pfd.fd = -1;
	buf_free(&cmd);
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
