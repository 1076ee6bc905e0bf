package ai.holysheep.k8s.sidecar.route;

/**
 * One row of the route policy, as found for a request.
 *
 * @param name the route as the table names it, e.g. {@code chat/completions} ({@code other} when
 *     not in the table)
 * @param routeClass where it may go and when it may be replayed
 * @param cacheable whether the stale cache may keep and serve its non-streamed answers
 * @param usage where its answers carry token usage
 * @param endsWithDone its streams end with {@code data: [DONE]}; one that ends without it is cut
 * @param asksUsage {@code stream_options.include_usage} exists for it, so the sidecar may ask the
 *     upstream for usage the app did not ask for
 */
public record Route(
    String name,
    RouteClass routeClass,
    boolean cacheable,
    UsageSource usage,
    boolean endsWithDone,
    boolean asksUsage) {

  /** The same route with another class (the Responses API with state is stateful). */
  Route withClass(RouteClass value) {
    return new Route(name, value, cacheable, usage, endsWithDone, asksUsage);
  }
}
