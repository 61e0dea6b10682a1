package io.portunus.eventhandlers.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The start-up check: asks the cluster (with Kafka's Admin client, asynchronously, so the
 * server's start never waits for it) whether it answers, lets this client in and has the
 * topic or would create it, and says so in ONE log line: info when all is well, error with
 * the reason otherwise (unreachable, authentication failed, unknown topic with auto-create
 * off, not authorised). Events meanwhile wait in the handler's queue either way.
 */
final class ClusterCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterCheck.class);
    static final int TIMEOUT_MS = 5_000;

    enum Outcome { PENDING, OK, FAILED }

    private final String handler;
    private final KafkaSettings settings;
    private final Admin admin;
    private volatile Outcome outcome = Outcome.PENDING;
    private volatile String problem;
    private volatile boolean closed;

    private ClusterCheck(String handler, KafkaSettings settings, Admin admin) {
        this.handler = handler;
        this.settings = settings;
        this.admin = admin;
    }

    /** Starts the check; its callbacks run on the Admin client's own I/O thread. */
    static ClusterCheck start(String handler, KafkaSettings settings) {
        Properties p = new Properties();
        for (String name : settings.producer().stringPropertyNames()) {
            if (AdminClientConfig.configNames().contains(name) && !name.equals(ProducerConfig.CLIENT_ID_CONFIG)) {
                p.put(name, settings.producer().getProperty(name));
            }
        }
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.producer().getProperty(ProducerConfig.CLIENT_ID_CONFIG) + "-check");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_MS));
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(TIMEOUT_MS));
        ClusterCheck check = new ClusterCheck(handler, settings, Admin.create(p));
        check.describeTopic();
        return check;
    }

    Outcome outcome() {
        return outcome;
    }

    /** The reason of a failed check, for the handler's {@code status} request. */
    String problem() {
        return problem;
    }

    private void describeTopic() {
        admin.describeTopics(Set.of(settings.topic()), new DescribeTopicsOptions().timeoutMs(TIMEOUT_MS))
                .allTopicNames().whenComplete((topics, error) -> {
                    if (error == null) {
                        TopicDescription d = topics.get(settings.topic());
                        ok("topic '" + settings.topic() + "' has " + d.partitions().size() + " partition(s)");
                    } else if (cause(error) instanceof UnknownTopicOrPartitionException) {
                        checkAutoCreate();
                    } else {
                        failed(error);
                    }
                });
    }

    /** The topic is missing: fine if the broker creates topics on first use. */
    private void checkAutoCreate() {
        admin.describeCluster().nodes().thenApply(nodes -> {
            Node node = nodes.iterator().next();
            ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, String.valueOf(node.id()));
            admin.describeConfigs(List.of(broker)).all().whenComplete((configs, error) -> {
                if (error != null) {
                    failed(error);
                    return;
                }
                Config c = configs.get(broker);
                ConfigEntry autoCreate = c == null ? null : c.get("auto.create.topics.enable");
                if (autoCreate != null && "true".equals(autoCreate.value())) {
                    ok("topic '" + settings.topic() + "' does not exist yet; the broker creates it with the first event");
                } else {
                    problem("topic '" + settings.topic() + "' does not exist and the broker does not create topics "
                            + "(auto.create.topics.enable=false): create it (kafka-topics --create --topic "
                            + settings.topic() + ")");
                }
            });
            return null;
        }).whenComplete((ignored, error) -> {
            if (error != null) {
                failed(error);
            }
        });
    }

    private void ok(String what) {
        outcome = Outcome.OK;
        LOG.info("{}: connected to Kafka at {}: {}; key {}, acks {}", handler, settings.bootstrap(), what,
                settings.key().label(), settings.acks());
    }

    private void failed(Throwable error) {
        Throwable c = cause(error);
        String why;
        if (c instanceof TimeoutException) {
            why = "no Kafka broker answers at " + settings.bootstrap() + " (waited " + TIMEOUT_MS / 1000 + " s)";
        } else if (c instanceof AuthenticationException) {
            why = "authentication to Kafka at " + settings.bootstrap() + " failed: " + c.getMessage();
        } else if (c instanceof AuthorizationException) {
            why = "not authorised on topic '" + settings.topic() + "' at " + settings.bootstrap() + ": " + c.getMessage();
        } else {
            why = "Kafka at " + settings.bootstrap() + " refused the check: " + c;
        }
        problem(why);
    }

    private void problem(String why) {
        problem = why;
        outcome = Outcome.FAILED;
        LOG.error("{}: {}; events wait in the queue and are sent once this is fixed", handler, why);
    }

    private static Throwable cause(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Releases the Admin client; never from its own thread (the callbacks above). */
    void close() {
        if (!closed) {
            closed = true;
            admin.close(Duration.ofMillis(200));
        }
    }
}
