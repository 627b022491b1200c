"""Every bag the server exports – a case's dossier, a corrected version, an
enterprise's file – is BagIt 1.0 that the Library of Congress tool validates."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models.case import Case
from server.services import dossiers, enterprise_file
from server.services.deadlines import bureau_today
from tests.server.dossier.test_bag_rfc8493 import _info, loc_bagit_validates
from tests.server.services import test_cases_support as s

pytestmark = pytest.mark.usefixtures("fresh_caller")


def test_case_and_enterprise_bags_pass_the_bagit_tool(ctx, client, tmp_path):
    case_id = s.closed_case(client, photos=1, archive=True)
    case = db.session.get(Case, case_id)
    bag = dossiers.export(case_id, tmp_path / "case")
    info = _info(bag)
    assert (bag / "bagit.txt").read_text(encoding="utf-8").startswith("BagIt-Version: 1.0")
    assert info["Bagging-Date"] == bureau_today().isoformat()
    # The versions of one dossier share the group; the bag names its version.
    assert info["Bag-Group-Identifier"] == case.archive_no
    assert info["External-Identifier"] == f"{case.archive_no} 第1版"
    result = loc_bagit_validates(bag)
    assert result.returncode == 0, result.stderr
    file_bag = enterprise_file.export(case.enterprise.uscc, tmp_path / "enterprise")
    assert loc_bagit_validates(file_bag).returncode == 0
    assert _info(file_bag)["Bagging-Date"] == bureau_today().isoformat()
