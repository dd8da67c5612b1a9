"""Case results as JUnit XML, the report format CI systems (GitLab, Jenkins, GitHub actions) read."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from xml.etree import ElementTree as ET

from engine.tools.cases import CaseResult


def junit_xml(results: list[CaseResult]) -> str:
    """One <testsuite> per case file, one <testcase> per case; a failed case carries its differences."""
    by_file: dict[str, list[CaseResult]] = defaultdict(list)
    for result in results:
        by_file[result.case.file].append(result)
    root = ET.Element(
        "testsuites", name="layak test", tests=str(len(results)), failures=str(sum(1 for r in results if not r.passed))
    )
    for file, items in sorted(by_file.items()):
        suite = ET.SubElement(
            root, "testsuite", name=file, tests=str(len(items)), failures=str(sum(1 for r in items if not r.passed))
        )
        for r in items:
            case = ET.SubElement(
                suite,
                "testcase",
                name=f"[{r.case.index}] {r.case.case.note}",
                classname=Path(file).name.removesuffix(".yaml").replace(".", "_"),
                file=file,
                line=str(r.case.line or ""),
            )
            if not r.passed:
                failure = ET.SubElement(case, "failure", message=(r.differences or ["failed"])[0])
                failure.text = "\n".join(r.differences)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
