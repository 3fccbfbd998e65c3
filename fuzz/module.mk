# SPDX-License-Identifier: MIT
# libFuzzer targets (clang): fuzz/fuzz-<name>.c becomes build/fuzz/fuzz-<name>,
# built with ASan and UBSan with the common sources and, per target,
# FUZZ_EXTRA (fuzz-model: the report's model from tools/).  `make check`
# runs each briefly over its corpus (tests/fuzz.t); `make fuzz
# FUZZ_SECONDS=600` runs each longer, adding what it finds to
# build/fuzz/corpus-<name>/ (copy worthwhile inputs to fuzz/corpus/<name>/
# by hand).
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 300
FUZZ_FLAGS   := -std=gnu11 -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -D_GNU_SOURCE -Icommon -Itracepoints
FUZZ_SRC     := $(wildcard fuzz/fuzz-*.c)
FUZZ_BINS    := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)

$(B)/fuzz/fuzz-%: fuzz/fuzz-%.c $(COMMON_SRC)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $@"
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(COMMON_SRC) $(FUZZ_EXTRA) -ldl

# fuzz-model drives the report's model and outputs: the tools sources they
# need (no babeltrace: the target makes the events itself).
FUZZ_MODEL_SRC := $(wildcard tools/model/*.c tools/out/*.c) tools/util.c
$(B)/fuzz/fuzz-model: FUZZ_EXTRA = -Itools $(FUZZ_MODEL_SRC) -lm
$(B)/fuzz/fuzz-model: $(FUZZ_MODEL_SRC) $(wildcard tools/*.h tools/*/*.h)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	$(Q)for f in $(FUZZ_BINS); do \
		n=$${f##*/fuzz-}; mkdir -p $(B)/fuzz/corpus-$$n; \
		echo "fuzzing $$n for $(FUZZ_SECONDS)s"; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(B)/fuzz/corpus-$$n fuzz/corpus/$$n || exit 1; \
	done

.PHONY: fuzz fuzz-build
# Once, by the plain check: the targets are sanitized builds already.
ifeq ($(SANITIZE),)
tests: fuzz-build
endif
