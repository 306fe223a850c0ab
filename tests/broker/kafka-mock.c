/* kafka-mock - an in-memory Kafka for tests and the demo: librdkafka's
 * mock cluster (the real Kafka protocol over TCP on loopback), three
 * brokers, at most 5 MiB kept per partition. Prints its bootstrap list
 * and runs until SIGINT or SIGTERM. Real Kafka: docker-compose.yaml.
 *
 * Control commands, one a line on stdin when -c is given (for fault
 * tests): "down ID", "up ID", "topic NAME PARTS", "error API CODE COUNT"
 * (push COUNT errors CODE for the request type API). */
#include <err.h>
#include <getopt.h>
#include <poll.h>
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
	    "usage: kafka-mock [-c] [-b brokers] [-p partitions] [-o file] [topic[:partitions] ...]\n"
	    "An in-memory test broker (librdkafka's mock cluster) holding at most 5 MiB\n"
	    "per partition; docker-compose.yaml runs a real Kafka.\n");
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
command(rd_kafka_mock_cluster_t *mc, char *line)
{
	char what[32], arg[256];
	long a = 0, b = 0, c = 0;

	if (sscanf(line, "%31s %255s", what, arg) < 1)
		return;
	if (strcmp(what, "down") == 0 && sscanf(line, "%*s %ld", &a) == 1)
		rd_kafka_mock_broker_set_down(mc, (int32_t)a);
	else if (strcmp(what, "up") == 0 && sscanf(line, "%*s %ld", &a) == 1)
		rd_kafka_mock_broker_set_up(mc, (int32_t)a);
	else if (strcmp(what, "topic") == 0 &&
	    sscanf(line, "%*s %255s %ld", arg, &a) == 2)
		rd_kafka_mock_topic_create(mc, arg, (int)a, 1);
	else if (strcmp(what, "error") == 0 &&
	    sscanf(line, "%*s %ld %ld %ld", &a, &b, &c) == 3) {
		while (c-- > 0)
			rd_kafka_mock_push_request_errors(mc, (int16_t)a, 1,
			    (rd_kafka_resp_err_t)b);
	} else {
		warnx("unknown command: %s", line);
		return;
	}
	fprintf(stderr, "kafka-mock: done: %s", line);
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
	const char *outfile = NULL, *bs;
	char errstr[512], line[512];
	int ch, parts = 4, brokers = 3, control = 0, i;
	struct pollfd pfd;
	FILE *f;

	while ((ch = getopt_long(argc, argv, "b:cp:o:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'b':
			brokers = (int)kp_num(optarg, 1, 16, "-b");
			break;
		case 'c':
			control = 1;
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
	conf = rd_kafka_conf_new();
	if (rd_kafka_conf_set(conf, "log_level", "3", errstr,
	    sizeof(errstr)) != RD_KAFKA_CONF_OK)
		errx(1, "%s", errstr);
	rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, errstr, sizeof(errstr));
	if (rk == NULL)
		errx(1, "rd_kafka_new: %s", errstr);
	mc = rd_kafka_mock_cluster_new(rk, brokers);
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
	pfd.fd = STDIN_FILENO;
	pfd.events = POLLIN;
	while (!kp_stop) {
		if (!control) {
			pause();
			continue;
		}
		if (poll(&pfd, 1, 1000) > 0) {
			if (fgets(line, sizeof(line), stdin) == NULL)
				control = 0;
			else
				command(mc, line);
		}
	}
	rd_kafka_mock_cluster_destroy(mc);
	rd_kafka_destroy(rk);
	return 0;
}
