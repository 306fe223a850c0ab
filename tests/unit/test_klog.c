/* Unit tests for common/klog.c: which of librdkafka's lines are shown,
 * held back or dropped. What a call writes on standard error is caught
 * in a temporary file. */
#include <unistd.h>

#include "check.h"
#include "klog.h"

static FILE *tmp;
static int saved = -1;
static char said[4096];

static void
catch(void)
{
	fflush(stderr);
	tmp = tmpfile();
	saved = dup(2);
	dup2(fileno(tmp), 2);
}

/* What was written since catch(), in said. */
static const char *
caught(void)
{
	size_t n;

	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(tmp);
	n = fread(said, 1, sizeof(said) - 1, tmp);
	said[n] = '\0';
	fclose(tmp);
	return said;
}

static int
count(const char *s, const char *sub)
{
	int n = 0;

	for (; (s = strstr(s, sub)) != NULL; s++)
		n++;
	return n;
}

int
main(void)
{
	struct klog l;

	kl_init(&l, 0, NULL);
	/* a first produce on a broker just started: held back */
	catch();
	kl_log(&l, 4, "GETPID", "[thrd:main]: Failed to acquire idempotence "
	    "PID from broker 127.0.0.1:9092/1: Broker: Coordinator load in "
	    "progress: retrying");
	kl_error(&l, RD_KAFKA_RESP_ERR__TRANSPORT, "127.0.0.1:9092/1: "
	    "Disconnected (after 5ms in state UP)");
	kl_error(&l, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN,
	    "1/1 brokers are down");
	check_str(caught(), "");
	check(l.held == 3);
	/* any other warning: shown, without the thread, once in 10 s */
	catch();
	kl_log(&l, 4, "CONFWARN", "[thrd:app]: Configuration property x is "
	    "deprecated");
	kl_log(&l, 4, "CONFWARN", "[thrd:app]: Configuration property x is "
	    "deprecated");
	check(strstr(caught(), "kafka: Configuration property x is "
	    "deprecated\n") != NULL);
	check(count(said, "deprecated") == 1);
	/* librdkafka's TLS guess cut (a restart: held back) */
	catch();
	kl_error(&l, RD_KAFKA_RESP_ERR__AUTHENTICATION, "b:9092/1: "
	    "Disconnected while requesting ApiVersion: might be caused by "
	    "incorrect security.protocol configuration (connecting to a SSL "
	    "listener?) or broker version is < 0.10 (see api.version.request) "
	    "(after 1ms in state APIVERSION_QUERY)");
	check(strstr(caught(), "security.protocol") == NULL);
	check(strstr(l.text, "security.protocol") == NULL &&
	    strstr(l.text, "requesting ApiVersion (after 1ms") != NULL);
	/* fatal: always */
	catch();
	kl_error(&l, RD_KAFKA_RESP_ERR__FATAL, "Fatal error: Broker: "
	    "Producer fenced");
	check(strstr(caught(), "Producer fenced") != NULL);
	/* purges: ours once purging, else reported */
	check(kl_shown(&l, RD_KAFKA_RESP_ERR__PURGE_QUEUE));
	l.purging = 1;
	check(!kl_shown(&l, RD_KAFKA_RESP_ERR__PURGE_QUEUE));
	check(!kl_shown(&l, RD_KAFKA_RESP_ERR__PURGE_INFLIGHT));
	check(kl_shown(&l, RD_KAFKA_RESP_ERR__MSG_TIMED_OUT));
	/* a failed commit at a rebalance: shown, unless positions live
	 * elsewhere */
	catch();
	kl_log(&l, 4, "COMMITFAIL", "Offset commit (unassigned partitions) "
	    "failed for 1/4 partition(s): Broker: Unknown member");
	check(strstr(caught(), "Unknown member") != NULL);
	l.commits_elsewhere = 1;
	catch();
	kl_log(&l, 4, "COMMITFAIL", "Offset commit (manual) failed for 2/4 "
	    "partition(s): Broker: Unknown member");
	check_str(caught(), "");
	/* the exit: a summary line only when it failed */
	catch();
	kl_done(&l, 0);
	check_str(caught(), "");
	catch();
	kl_done(&l, 75);
	check(strstr(caught(), "kafka: 5 transient messages not shown (-v "
	    "shows them); the last: Offset commit (manual)") != NULL);
	kl_free(&l);
	/* -v: every line, with its facility */
	kl_init(&l, 1, NULL);
	catch();
	kl_log(&l, 4, "GETPID", "Coordinator load in progress: retrying");
	check(strstr(caught(), "kafka: GETPID: Coordinator load") != NULL);
	l.purging = 1;
	check(kl_shown(&l, RD_KAFKA_RESP_ERR__PURGE_QUEUE));
	kl_free(&l);
	return check_done("klog");
}
