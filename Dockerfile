# The five kappa-pipes tools in a small Debian image, for the pipeline
# services of docker-compose.yaml (and for running them anywhere Docker
# runs). Debian bookworm ships librdkafka 2.0.2 and yajl 2, the versions
# the project is built and tested with.
#
#	docker build -t kappa-pipes .
#	docker run --rm kappa-pipes salesgen -n 3 -r 0

FROM debian:bookworm AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
	build-essential pkg-config librdkafka-dev libyajl-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Makefile ./
COPY common/ common/
COPY cmd/ cmd/
RUN make -j"$(nproc)" all && ls -l bin/

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends librdkafka1 libyajl2 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/bin/ /usr/local/bin/
# no root needed: the tools only read stdin and talk to Kafka
USER nobody
CMD ["salesgen", "--help"]
