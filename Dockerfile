# syntax=docker/dockerfile:1
# The LinkTracking service as a container image: an SDK stage publishes it, the ASP.NET Core runtime image runs it as a
# non-root user, with a read-only root (run it with --read-only and a tmpfs on /tmp) and volumes for the SQLite
# database, the click spool and the Data Protection key ring.
#   docker build -t linktracking .
#   docker run --read-only --tmpfs /tmp -p 8080:8080 -v lt-db:/data/db -v lt-spool:/data/spool -v lt-keys:/data/keys linktracking
#   docker run --rm … linktracking api-keys create --name me --scopes admin     (any command of the CLI: --help)
# CI does not build this image (no container engine there): scripts/check-container-recipe.sh runs the same publish
# and start-up commands on the host, read-only and unprivileged, and probes /health/ready with the HEALTHCHECK script.
ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Domain/LinkTracking.Domain.csproj src/Domain/
COPY src/Application/LinkTracking.Application.csproj src/Application/
COPY src/Infrastructure/LinkTracking.Infrastructure.csproj src/Infrastructure/
COPY src/WebApi/LinkTracking.WebApi.csproj src/WebApi/
RUN dotnet restore src/WebApi/LinkTracking.WebApi.csproj
COPY src/ src/
RUN dotnet publish src/WebApi/LinkTracking.WebApi.csproj --no-restore -c Release -o /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime
# IANA time zones for the analytics' tz parameter.
RUN apt-get update \
    && apt-get install -y --no-install-recommends tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /data/db /data/spool /data/keys \
    && chown -R "$APP_UID" /data
WORKDIR /app
COPY --from=build /app ./
COPY deploy/healthcheck.sh ./healthcheck.sh
# Everything the service writes goes to /data (the root stays read-only). SQLite by default; compose.yaml sets PostgreSQL.
ENV ASPNETCORE_HTTP_PORTS=8080 \
    ConnectionStrings__LinkTracking="Data Source=/data/db/linktracking.db" \
    ClickPipeline__SpoolDirectory=/data/spool \
    DataProtection__KeysDirectory=/data/keys
VOLUME ["/data/db", "/data/spool", "/data/keys"]
USER $APP_UID
EXPOSE 8080
# The runtime image has no curl: the check is bash alone. Ready = the database and the cache are usable, not draining.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 CMD ["bash", "/app/healthcheck.sh"]
# SIGTERM drains (docs/operations.md): give the container at least Lifecycle:ShutdownTimeout (30 s) to stop.
STOPSIGNAL SIGTERM
ENTRYPOINT ["dotnet", "LinkTracking.WebApi.dll"]
CMD ["serve"]
