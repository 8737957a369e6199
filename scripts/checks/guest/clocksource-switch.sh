# SPDX-License-Identifier: GPL-2.0
# Harness self-test: switch the clocksource during the test; the runner
# must fail the run (its timings would mix two clocks).
echo acpi_pm > /sys/devices/system/clocksource/clocksource0/current_clocksource
cat /sys/devices/system/clocksource/clocksource0/current_clocksource
