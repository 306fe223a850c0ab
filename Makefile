# kappa-pipes: `make` builds the five tools into bin/.
# Targets: all check unit cmdtest kafkatest soak chaos lint install uninstall deb deb-check demo bench peer-check fuzz clean
# `make SANITIZE=1 check` builds into build/san with ASan+UBSan and runs every test there.

PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/kappa-pipes
COMPDIR ?= $(PREFIX)/share/bash-completion/completions
# kafka-mock, a program, which kafka-local finds beside it through a link
LIBEXECDIR ?= $(PREFIX)/libexec/kappa-pipes
# the scripts the man pages name, installed into DATADIR
SCRIPTS := kafka-local replay resume
# The version every tool's --version prints, "0.2.0 (ac339ed)": the
# release is the newest entry of debian/changelog (NEWS says what it
# changed); the commit is $KP_COMMIT when set (make deb passes it into its
# copy of the tree, outside git), else git's, else none.
RELEASE   := $(shell awk -F'[()]' 'NR == 1 { print $$2 }' debian/changelog)
KP_COMMIT ?= $(shell [ -e .git ] && git rev-parse --short HEAD 2>/dev/null)
VERSION   := $(RELEASE)$(if $(KP_COMMIT), ($(KP_COMMIT)))

ALLTOOLS := salesgen ksource ksink window-agg fxconvert kplot
# the tools whose sources are in the tree
TOOLS   := $(foreach t,$(ALLTOOLS),$(if $(wildcard cmd/$(t)/*.c),$(t)))

CC      ?= cc
PKGS    := rdkafka yajl libcurl
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null || echo -lrdkafka -lyajl -lcurl)
CFLAGS  ?= -O2 -g
WARN    := -Wall -Wextra -Wshadow -Wno-unused-parameter
ALLCFLAGS = -std=gnu11 $(WARN) -D_GNU_SOURCE -Icommon \
	$(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) $(SANFLAGS) $(LTO)
LDLIBS  := $(PKG_LIBS) -lm

ifeq ($(SANITIZE),1)
O        := build/san
SANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS  += $(SANFLAGS)
export ASAN_OPTIONS  := detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS := print_stacktrace=1:halt_on_error=1:exitcode=99
else
O        := build/opt
# link-time optimization: the hot path crosses common/ (the record
# parser, the classifier, the decimal code); `make LTO=` builds without
LTO      ?= -flto=auto
LDFLAGS  += $(LTO)
endif
BIN     := $(if $(filter 1,$(SANITIZE)),$(O)/bin,bin)
MOCK    := $(if $(wildcard tests/broker/kafka-mock.c),$(BIN)/kafka-mock)

COMMON_SRC := $(wildcard common/*.c)
COMMON_OBJ := $(COMMON_SRC:%.c=$(O)/%.o)
LIBCOMMON  := $(O)/libkp.a

all: $(TOOLS:%=$(BIN)/%) $(MOCK)

$(O)/%.o: %.c $(wildcard common/*.h) $(wildcard cmd/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALLCFLAGS) -c -o $@ $<

# common/kp.c alone prints the version: rebuilt when it changes
$(O)/common/kp.o: ALLCFLAGS += -DKP_VERSION='"$(VERSION)"'
$(O)/common/kp.o: $(O)/version
$(O)/version: FORCE
	@mkdir -p $(O); echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' > $@
.PHONY: FORCE

$(LIBCOMMON): $(COMMON_OBJ)
	rm -f $@; ar rcs $@ $^

# Every cmd/<tool>/*.c is linked into bin/<tool>.
.SECONDARY:
.SECONDEXPANSION:
$(BIN)/%: $$(foreach f,$$(wildcard cmd/$$*/*.c),$(O)/$$(basename $$f).o) $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBCOMMON) $(LDLIBS)

# The local test broker: librdkafka's mock cluster behind a small program.
$(BIN)/kafka-mock: $(O)/tests/broker/kafka-mock.o $(LIBCOMMON)
	@mkdir -p $(BIN)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(LDLIBS)

# ---- tests ---------------------------------------------------------------
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(O)/tests/unit/%)

$(O)/tests/unit/%: $(O)/tests/unit/%.o $(LIBCOMMON)
	$(CC) $(LDFLAGS) -o $@ $< $(LIBCOMMON) $(LDLIBS)

# test_rates tests fxconvert's rates file parser, outside common/
$(O)/tests/unit/test_rates: $(O)/tests/unit/test_rates.o $(O)/cmd/fxconvert/rates.o $(LIBCOMMON)
	$(CC) $(LDFLAGS) -o $@ $(filter %.o,$^) $(LIBCOMMON) $(LDLIBS)

# test_opt_TOOL includes cmd/TOOL/TOOL.c (its option table and plan())
# and links the tool's other files
define OPT_TEST
$(O)/tests/unit/test_opt_$(1): $(O)/tests/unit/test_opt_$(1).o $(patsubst %.c,$(O)/%.o,$(filter-out cmd/$(1)/$(1).c,$(wildcard cmd/$(1)/*.c))) $(LIBCOMMON)
	$$(CC) $$(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(LIBCOMMON) $$(LDLIBS)
$(O)/tests/unit/test_opt_$(1).o: cmd/$(1)/$(1).c tests/unit/optcases.h
endef
$(foreach t,fxconvert ksink ksource window-agg,$(eval $(call OPT_TEST,$(t))))

# test_sreg includes common/sreg.c, for its static refs()
$(O)/tests/unit/test_sreg.o: common/sreg.c

unit: $(UNIT_BIN)
	@set -e; for t in $(UNIT_BIN); do echo "unit: $$t"; $$t; done

cmdtest: all
	@KP_BIN=$(CURDIR)/$(BIN) KP_SANITIZE=$(SANITIZE) sh tests/run-cmd.sh tests/cmd/*.t

kafkatest: all
	@if ls tests/kafka/*.sh >/dev/null 2>&1; then \
		KP_BIN=$(CURDIR)/$(BIN) sh tests/run-kafka.sh tests/kafka/*.sh; \
	else echo "kafka tests: none yet"; fi

# lint needs no binary: man-sync reads usage() from the sources
lint:
	mandoc -Tlint -Wwarning man/*.[1-8]
	sh tests/man-sync.sh
	rm -rf build/docex; python3 tests/docex.py build/docex README.md man/*.[1-8]
	@awk -F'\t' '{ n[$$2]++ } END { printf "doc examples: %d to run, %d endless, %d marked not runnable (run by tests/kafka/doc-examples.sh)\n", n["run"], n["endless"], n["skip"] }' build/docex/list
	if [ -f docker-compose.yaml ]; then docker-compose -f docker-compose.yaml config -q; fi

check: deps
	@$(MAKE) --no-print-directory all unit cmdtest kafkatest lint
	@echo "make check: all tests passed$(if $(filter 0,$(KP_REAL)),; KP_REAL=0: the real-broker tests were SKIPPED)"

# Long tests on a real broker, not in check: the crash test of the
# exactly-once job (tests/soak/kill.sh, KILL_RUNS kills per stage, 5).
soak: all
	@KP_BIN=$(CURDIR)/$(BIN) KP_REAL=1 KP_TIMEOUT=3600 sh tests/run-kafka.sh tests/soak/*.sh

# ksink under broker failures on a three-node cluster of its own: leader,
# coordinator and a broker lost for good, no restart wrapper
# (tests/chaos/ksink.sh; CHAOS_RUNS runs of each, 2; about 4 minutes);
# then three exactly-once jobs at once, the tutorial's among them, through
# the same faults and a hard rolling restart (tests/chaos/job.sh; one run
# of each, or CHAOS_RUNS; about 4 minutes more). CHAOS_RUNS=3 is the pass
# kappa-pipes(7) gives (about 17 minutes in all); CHAOS_JOB=0 leaves the
# jobs out (CI does: a hard rolling restart still cost the tutorial job
# late records once, kappa-pipes(7) Guarantees); CHAOS_JOB_SCENARIOS
# narrows the jobs' faults.
chaos: all
	@KP_BIN=$(CURDIR)/$(BIN) sh tests/chaos/ksink.sh
	@[ "$(CHAOS_JOB)" = 0 ] || KP_BIN=$(CURDIR)/$(BIN) \
	    $(if $(CHAOS_JOB_SCENARIOS),CHAOS_SCENARIOS="$(CHAOS_JOB_SCENARIOS)") \
	    sh tests/chaos/job.sh

# ---- other targets -------------------------------------------------------
install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7
	install -m 755 $(TOOLS:%=bin/%) $(DESTDIR)$(BINDIR)
	install -m 644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 644 man/*.7 $(DESTDIR)$(MANDIR)/man7
	install -d $(DESTDIR)$(DATADIR)/kafka $(DESTDIR)$(COMPDIR) $(DESTDIR)$(LIBEXECDIR)
	install -m 755 $(SCRIPTS:%=scripts/%) $(DESTDIR)$(DATADIR)
	install -m 755 bin/kafka-mock $(DESTDIR)$(LIBEXECDIR)
	ln -sf $(LIBEXECDIR)/kafka-mock $(DESTDIR)$(DATADIR)/kafka-mock
	install -m 644 scripts/kafka/pom.xml $(DESTDIR)$(DATADIR)/kafka
	install -d $(DESTDIR)$(DATADIR)/registry
	install -m 644 scripts/registry/pom.xml $(DESTDIR)$(DATADIR)/registry
	for t in $(TOOLS); do \
		install -m 644 completion/kappa-pipes.bash $(DESTDIR)$(COMPDIR)/$$t; \
	done

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(BINDIR)/%)
	rm -f $(TOOLS:%=$(DESTDIR)$(MANDIR)/man1/%.1) $(DESTDIR)$(MANDIR)/man7/kappa-pipes.7
	rm -f $(TOOLS:%=$(DESTDIR)$(COMPDIR)/%)
	rm -rf $(DESTDIR)$(DATADIR) $(DESTDIR)$(LIBEXECDIR)

# ---- the Debian package --------------------------------------------------
# make deb: kappa-pipes_RELEASE_ARCH.deb here, built from debian/ by
# dpkg-buildpackage in a copy of the tree (it writes beside the tree it
# builds: into build/deb/), with make install's layout. make deb-check:
# lintian, then tests/deb/install.sh installs it (as root), runs it from
# the installed paths only, purges it and checks that nothing is left.
DEB = kappa-pipes_$(RELEASE)_$(shell dpkg --print-architecture).deb
deb:
	@grep -q '^$(RELEASE) ' NEWS || { echo "deb: NEWS says nothing of $(RELEASE)"; exit 1; }
	rm -rf build/deb; mkdir -p build/deb/src
	tar -cf - --exclude=./build --exclude=./bin --exclude=./.git --exclude='./*.deb' . \
	  | tar -xf - -C build/deb/src
	cd build/deb/src && KP_COMMIT='$(KP_COMMIT)' dpkg-buildpackage -b -us -uc > ../build.log 2>&1 \
	  || { tail -40 ../build.log; echo "deb: dpkg-buildpackage failed (build/deb/build.log)"; exit 1; }
	cp build/deb/$(DEB) .
	@echo "deb: $(DEB), $$(du -k $(DEB) | cut -f1) KiB"

deb-check: deb
	lintian --fail-on error $(DEB)
	bash tests/deb/install.sh ./$(DEB) '$(VERSION)'

deps:
	@sh scripts/deps

demo: deps
	@$(MAKE) --no-print-directory all
	sh scripts/demo

bench: all
	sh bench/run

# The tutorial's job on Apache Flink against kappa-pipes on a real broker
# (peer/flink/README.md) and on Quix Streams (peer/quix/README.md), and
# Confluent's Python client against ksink and ksource -s avro and -s protobuf
# (peer/confluent); installs PyFlink (~800 MB), Quix Streams (~130 MB) and
# confluent-kafka (~30 MB) once, into ~/.cache.
peer-check: deps
	@$(MAKE) --no-print-directory all
	sh peer/flink/run install
	sh peer/quix/run install
	sh peer/confluent/run install
	@KP_BIN=$(CURDIR)/$(BIN) KP_REAL=1 sh tests/run-kafka.sh tests/peer/*.sh

FUZZ_SECONDS ?= 30
fuzz:
	sh tests/fuzz/run $(FUZZ_SECONDS)

clean:
	rm -rf build bin kappa-pipes_*.deb

.PHONY: all check unit cmdtest kafkatest soak chaos lint install uninstall deb deb-check deps demo bench peer-check fuzz clean
