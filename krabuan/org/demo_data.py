"""The demo organisation: the unit tree, outside bodies that steps name, and positions.

Codes here are what fixtures use to point at units (`responsible_unit`, owners' positions).
Staff names and phone numbers from the source documents are never shipped; owners are positions.
"""

from __future__ import annotations

from krabuan.org.models import Role, UnitKind

# (code, name, short_name, kind, parent_code)
UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("moac", "กระทรวงเกษตรและสหกรณ์", "กษ.", UnitKind.MINISTRY, None),
    ("opsmoac", "สำนักงานปลัดกระทรวงเกษตรและสหกรณ์", "สป.กษ.", UnitKind.OFFICE, "moac"),
    ("ict", "ศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", "ศทส.", UnitKind.DIVISION, "opsmoac"),
    ("ict-strategy", "กลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ", "กยท.", UnitKind.GROUP, "ict"),
    ("ict-systems", "กลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ", "กรภ.", UnitKind.GROUP, "ict"),
    ("ict-network", "กลุ่มระบบคอมพิวเตอร์และเครือข่าย", "กคข.", UnitKind.GROUP, "ict"),
    ("ict-data", "กลุ่มบริหารข้อมูลการเกษตร", "กบข.", UnitKind.GROUP, "ict"),
    ("ict-admin", "ฝ่ายบริหารทั่วไป", "ฝบท.", UnitKind.GROUP, "ict"),
    # Units of the office that steps name.
    ("finance", "กองคลัง", "กองคลัง", UnitKind.DIVISION, "opsmoac"),
    ("planning", "สำนักแผนงานและโครงการพิเศษ", "สผง.", UnitKind.DIVISION, "opsmoac"),
    ("hr", "กองการเจ้าหน้าที่", "กจ.", UnitKind.DIVISION, "opsmoac"),
    ("central-admin", "สำนักบริหารกลาง", "สบก.", UnitKind.DIVISION, "opsmoac"),
    ("inspection", "กองตรวจราชการ", "กตร.", UnitKind.DIVISION, "opsmoac"),
    ("pr", "กลุ่มประชาสัมพันธ์", "กลุ่มประชาสัมพันธ์", UnitKind.GROUP, "central-admin"),
    ("opdc-unit", "กลุ่มพัฒนาระบบบริหาร", "กพร. สป.กษ.", UnitKind.GROUP, "opsmoac"),
    # Outside bodies.
    (
        "cio-board",
        "คณะกรรมการ CIO ของกระทรวงเกษตรและสหกรณ์",
        "คณะกรรมการ CIO",
        UnitKind.EXTERNAL,
        None,
    ),
    (
        "procurement-board",
        "คณะกรรมการบริหารและจัดหาระบบคอมพิวเตอร์ของกระทรวงเกษตรและสหกรณ์",
        "คณะกรรมการจัดหาระบบคอมพิวเตอร์",
        UnitKind.EXTERNAL,
        None,
    ),
    ("dpo-office", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล สป.กษ.", "DPO สป.กษ.", UnitKind.EXTERNAL, None),
    ("pdpc", "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล", "สคส.", UnitKind.EXTERNAL, None),
    ("dga", "สำนักงานพัฒนารัฐบาลดิจิทัล (องค์การมหาชน)", "สพร.", UnitKind.EXTERNAL, None),
    ("mdes", "กระทรวงดิจิทัลเพื่อเศรษฐกิจและสังคม", "ดศ.", UnitKind.EXTERNAL, None),
    ("budget-bureau", "สำนักงบประมาณ", "สงป.", UnitKind.EXTERNAL, None),
    ("opdc", "สำนักงานคณะกรรมการพัฒนาระบบราชการ", "สำนักงาน ก.พ.ร.", UnitKind.EXTERNAL, None),
    ("cgd", "กรมบัญชีกลาง", "กรมบัญชีกลาง", UnitKind.EXTERNAL, None),
    ("contractor", "ผู้รับจ้าง/ผู้ขาย", "ผู้รับจ้าง", UnitKind.EXTERNAL, None),
]

# (unit code, position title, role) — the posts that own processes in demo data.
POSITIONS: list[tuple[str, str, str]] = [
    ("ict", "ผู้อำนวยการศูนย์เทคโนโลยีสารสนเทศและการสื่อสาร", Role.DIRECTOR),
    ("ict-strategy", "หัวหน้ากลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ", Role.GROUP_HEAD),
    ("ict-strategy", "นักวิชาการคอมพิวเตอร์ กลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ", Role.OFFICER),
    ("ict-strategy", "นักวิเคราะห์นโยบายและแผน กลุ่มยุทธศาสตร์เทคโนโลยีสารสนเทศ", Role.OFFICER),
    ("ict-systems", "หัวหน้ากลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ", Role.GROUP_HEAD),
    ("ict-systems", "นักวิชาการคอมพิวเตอร์ กลุ่มระบบงานสารสนเทศและภูมิสารสนเทศ", Role.OFFICER),
    ("ict-network", "หัวหน้ากลุ่มระบบคอมพิวเตอร์และเครือข่าย", Role.GROUP_HEAD),
    ("ict-network", "นักวิชาการคอมพิวเตอร์ กลุ่มระบบคอมพิวเตอร์และเครือข่าย", Role.OFFICER),
    ("ict-network", "เจ้าพนักงานเครื่องคอมพิวเตอร์ กลุ่มระบบคอมพิวเตอร์และเครือข่าย", Role.OFFICER),
    ("ict-data", "หัวหน้ากลุ่มบริหารข้อมูลการเกษตร", Role.GROUP_HEAD),
    ("ict-data", "นักวิชาการคอมพิวเตอร์ กลุ่มบริหารข้อมูลการเกษตร", Role.OFFICER),
    ("ict-data", "นักวิชาการสถิติ กลุ่มบริหารข้อมูลการเกษตร", Role.OFFICER),
    ("ict-admin", "หัวหน้าฝ่ายบริหารทั่วไป", Role.GROUP_HEAD),
    ("ict-admin", "นักจัดการงานทั่วไป ฝ่ายบริหารทั่วไป", Role.OFFICER),
    ("ict-admin", "เจ้าพนักงานธุรการ ฝ่ายบริหารทั่วไป", Role.OFFICER),
    ("ict-admin", "นักวิเคราะห์นโยบายและแผน ฝ่ายบริหารทั่วไป", Role.OFFICER),
    ("ict-admin", "เจ้าพนักงานพัสดุ ฝ่ายบริหารทั่วไป", Role.OFFICER),
    ("ict", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO)", Role.DPO),
    ("ict", "ผู้ตรวจสอบภายใน", Role.AUDITOR),
]

# Demo sign-ins (password from KRABUAN_DEMO_PASSWORD, else unusable): one per role.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("director", "ผู้อำนวยการ ศทส.", "ict", Role.DIRECTOR),
    ("head.strategy", "หัวหน้ากลุ่มยุทธศาสตร์ฯ", "ict-strategy", Role.GROUP_HEAD),
    ("officer.strategy", "เจ้าหน้าที่กลุ่มยุทธศาสตร์ฯ", "ict-strategy", Role.OFFICER),
    ("officer.network", "เจ้าหน้าที่กลุ่มระบบคอมพิวเตอร์ฯ", "ict-network", Role.OFFICER),
    ("requester", "ผู้ขอรับบริการ (กองคลัง)", "finance", Role.REQUESTER),
    ("dpo", "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล", "ict", Role.DPO),
    ("auditor", "ผู้ตรวจสอบ", "ict", Role.AUDITOR),
]
