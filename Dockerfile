# One image recipe for every meshrpc service. Pick the service with the build arg SERVICE, the name
# of its Maven module (matchmaker-service, scheduler-service, consoleauth-service, gateway-service,
# compute-agent):
#
#   docker build --build-arg SERVICE=compute-agent -t meshrpc/compute-agent:0.1.0 .
#
# docker-compose.yml builds all five from this file. The build stage does not depend on SERVICE,
# so BuildKit runs the Maven build once and every image reuses it. See docs/deploy.md.
#
# The base images are build args, so that a machine without Docker Hub can use a mirror or images of
# its own (docker-compose.yml passes MESHRPC_JDK_IMAGE and MESHRPC_JRE_IMAGE):
#
#   docker build --build-arg JDK_IMAGE=offline/jdk:17 --build-arg JRE_IMAGE=offline/jre:17 ...
#
# There is deliberately no "# syntax=" line: it makes BuildKit pull a frontend image from Docker Hub
# before it reads this file, and the engine's built-in frontend already knows the cache mount below.
ARG JDK_IMAGE=eclipse-temurin:17-jdk-noble
ARG JRE_IMAGE=eclipse-temurin:17-jre-noble

# ---- build: the Maven wrapper on a JDK 17, the five services and what they need (-am), no tests ----
FROM ${JDK_IMAGE} AS build
WORKDIR /src
COPY . .
# The cache mount keeps ~/.m2 (dependencies and the wrapper's Maven) between builds.
RUN --mount=type=cache,target=/root/.m2 \
    ./mvnw -B -q -DskipTests \
        -pl matchmaker-service,scheduler-service,consoleauth-service,gateway-service,compute-agent -am \
        package \
 && mkdir /out \
 && for jar in */target/*-exec.jar; do cp "$jar" "/out/${jar%%/*}.jar"; done \
 && ls -l /out

# ---- runtime: a JRE 17 and one service's executable jar ----
FROM ${JRE_IMAGE}
ARG SERVICE
RUN test -n "$SERVICE" || { echo "build with --build-arg SERVICE=<module>, e.g. SERVICE=compute-agent" >&2; exit 1; }
# The healthchecks (docker-compose.yml) use curl. Temurin's Ubuntu images ship it today; install it
# if a future tag drops it.
RUN command -v curl >/dev/null 2>&1 \
 || (apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*)
# a numeric user, so that Kubernetes can check runAsNonRoot
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin meshrpc
WORKDIR /app
COPY --from=build /out/${SERVICE}.jar /app/app.jar
USER 10001
LABEL org.opencontainers.image.title="meshrpc ${SERVICE}" \
      io.meshrpc.module="${SERVICE}"
# Modest JVM: heap from the container's memory limit, serial GC (one or two cores per service),
# small thread stacks, and exit on OOM so the orchestrator restarts the container.
ENV JAVA_OPTS="-XX:MaxRAMPercentage=60 -XX:+UseSerialGC -Xss512k -XX:+ExitOnOutOfMemoryError"
# exec: java is PID 1 and gets SIGTERM, so Spring Boot shuts down gracefully (the node drains and
# leaves the matchmaker). Arguments after the image name are passed to the application. The vector
# module makes CURVE's encryption cheaper (docs/security.md); it is added only where the runtime's
# release file lists it, since a JRE may be linked without it and a missing module stops the JVM.
ENTRYPOINT ["sh", "-c", "home=$(dirname \"$(dirname \"$(readlink -f \"$(command -v java)\")\")\"); vector=; if grep -qs jdk.incubator.vector \"$home/release\"; then vector='--add-modules jdk.incubator.vector'; fi; exec java $vector $JAVA_OPTS -jar /app/app.jar \"$@\"", "--"]
