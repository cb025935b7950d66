import java.lang.reflect.InvocationTargetException;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs kafka.Kafka with its log on stderr. Started by load-tests/lib.sh (pl_start_kafka) as a single
 * source file: the broker logs through java.util.logging, whose handler on the service's test class
 * path only buffers, so without this a broker that fails to start leaves an empty log.
 */
public class KafkaConsoleLog {
    public static void main(String[] args) throws Throwable {
        Logger root = Logger.getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        ConsoleHandler console = new ConsoleHandler();
        console.setLevel(Level.ALL);
        root.addHandler(console);
        root.setLevel(Level.INFO);
        try {
            Class.forName("kafka.Kafka").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
