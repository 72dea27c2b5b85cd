# Convenience front end over meson/ninja.  "make check" runs every suite and
# ends with one line: "N passed, N failed[, N skipped]".

BUILD ?= build
BUILD_SAN ?= build-san
NINJA ?= ninja

.PHONY: all deps check check-unit check-qtest check-kvm check-san check-extra demo demo-kvm clean

all: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	@scripts/install-deps.sh
	./configure --builddir=$(BUILD)

$(BUILD_SAN)/build.ninja:
	@scripts/install-deps.sh
	./configure --builddir=$(BUILD_SAN) --enable-asan --enable-ubsan

# Each suite writes its own log; the summary reads them all.
check: all $(BUILD_SAN)/build.ninja
	@rm -f $(BUILD)/meson-logs/testlog*.json $(BUILD_SAN)/meson-logs/testlog*.json
	-@meson test -C $(BUILD) --suite unit --logbase testlog-unit --print-errorlogs --no-rebuild -q
	-@meson test -C $(BUILD) --suite qtest --logbase testlog-qtest --print-errorlogs --no-rebuild -q
	-@meson test -C $(BUILD) --no-suite unit --no-suite qtest --no-suite kvm --logbase testlog-extra --print-errorlogs --no-rebuild -q
	-@meson test -C $(BUILD) --suite kvm --logbase testlog-kvm --print-errorlogs --no-rebuild -q
	@$(NINJA) -C $(BUILD_SAN) >/dev/null
	-@meson test -C $(BUILD_SAN) --suite unit --logbase testlog-san --print-errorlogs --no-rebuild -q
	@python3 scripts/test-summary.py $(BUILD)/meson-logs $(BUILD_SAN)/meson-logs

check-unit: all
	meson test -C $(BUILD) --suite unit --print-errorlogs

check-qtest: all
	meson test -C $(BUILD) --suite qtest --print-errorlogs

# Real arm64 KVM in a nested machine (tests/kvm, docs/devel/kvm.md).
check-kvm: all
	meson test -C $(BUILD) --suite kvm --print-errorlogs

check-san: $(BUILD_SAN)/build.ninja
	$(NINJA) -C $(BUILD_SAN)
	meson test -C $(BUILD_SAN) --suite unit --print-errorlogs

demo: all
	@scripts/demo.sh $(BUILD)

# KVM -> our interpreter -> KVM (nested recipe on x86, /dev/kvm on arm64).
demo-kvm: all
	@scripts/demo-kvm.sh $(BUILD)

clean:
	rm -rf $(BUILD) $(BUILD_SAN)
