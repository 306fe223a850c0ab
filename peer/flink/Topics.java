// java -cp CONNECTOR_JAR peer/flink/Topics.java BOOTSTRAP TOPIC:PARTITIONS...
// Creates topics (replication 1) with the Kafka admin client that Flink's
// SQL connector jar carries, so the peer test needs no other download; a
// topic that exists already is left as it is.
import org.apache.flink.kafka.shaded.org.apache.kafka.clients.admin.Admin;
import org.apache.flink.kafka.shaded.org.apache.kafka.clients.admin.NewTopic;
import org.apache.flink.kafka.shaded.org.apache.kafka.common.errors.TopicExistsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;

public class Topics {
	public static void main(String[] args) throws Exception {
		Properties p = new Properties();
		p.put("bootstrap.servers", args[0]);
		List<NewTopic> topics = new ArrayList<>();
		for (int i = 1; i < args.length; i++) {
			String[] tp = args[i].split(":");
			topics.add(new NewTopic(tp[0], Integer.parseInt(tp[1]), (short) 1));
		}
		try (Admin admin = Admin.create(p)) {
			for (var e : admin.createTopics(topics).values().entrySet()) {
				try {
					e.getValue().get();
				} catch (ExecutionException x) {
					if (!(x.getCause() instanceof TopicExistsException))
						throw x;
				}
			}
		}
	}
}
