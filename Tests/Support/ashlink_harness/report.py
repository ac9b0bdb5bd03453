"""Lines a test shows on the terminal whatever pytest's options (-q, no -s): timings worth seeing."""


def say(request, line):
    """Writes `line` through pytest's terminal reporter, with capturing suspended, as
    capsys.disabled() would; plain print when either plugin is absent."""
    plugins = request.config.pluginmanager
    reporter, capture = plugins.getplugin("terminalreporter"), plugins.getplugin("capturemanager")
    if reporter is None or capture is None:
        print(line)
        return
    with capture.global_and_fixture_disabled():
        reporter.write_line(line)
