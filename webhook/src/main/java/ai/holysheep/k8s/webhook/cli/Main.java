package ai.holysheep.k8s.webhook.cli;

import ai.holysheep.k8s.webhook.inject.InjectCommand;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;

/** {@code holysheep-webhook serve …} or {@code holysheep-webhook inject …}. */
public final class Main {
  static final String USAGE =
      "usage: holysheep-webhook serve [flags]   run the admission webhook (see --help)\n"
          + "       holysheep-webhook inject -f FILE|- [--config FILE] [--native-sidecar auto|true|false]"
          + " [--sidecar-image IMAGE] [--namespace NS]";

  private Main() {}

  public static void main(String[] args) {
    // One line per log record, like the sidecar (the JUL default splits each over two lines).
    if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
      System.setProperty(
          "java.util.logging.SimpleFormatter.format",
          "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s: %5$s%6$s%n");
    }
    System.exit(run(args, System.getenv(), System.in, System.out, System.err));
  }

  static int run(
      String[] args, Map<String, String> env, InputStream in, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    String[] rest = Arrays.copyOfRange(args, 1, args.length);
    return switch (args[0]) {
      case "serve" -> {
        if (Arrays.asList(rest).contains("--help")) {
          out.println(ServeOptions.USAGE);
          yield 0;
        }
        yield ServeCommand.run(rest, env, out, err);
      }
      case "inject" -> InjectCommand.run(rest, in, out, err);
      case "--help", "-h", "help" -> {
        out.println(USAGE);
        yield 0;
      }
      default -> {
        err.println("unknown command \"" + args[0] + "\"; expected serve or inject\n" + USAGE);
        yield 2;
      }
    };
  }
}
