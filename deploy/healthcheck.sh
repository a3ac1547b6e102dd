#!/usr/bin/env bash
# The image's HEALTHCHECK: GET /health/ready on the service's own port (the first of ASPNETCORE_HTTP_PORTS), with bash
# alone: the ASP.NET Core runtime image has neither curl nor wget. Exit 0 on 200, 1 otherwise.
port=${ASPNETCORE_HTTP_PORTS:-8080}
port=${port%%[,;]*}
exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 1
printf 'GET /health/ready HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
case $status in
  "HTTP/1.1 200"*) exit 0 ;;
  *) exit 1 ;;
esac
