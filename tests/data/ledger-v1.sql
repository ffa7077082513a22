-- A ledger written by version 1 of the schema (m001), through its own commands:
-- the sample imported, then a fortnight of recorded moves in both languages.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE "_sqlite_migrations" (
   "id" INTEGER PRIMARY KEY,
   "migration_set" TEXT,
   "name" TEXT,
   "applied_at" TEXT
);
INSERT INTO "_sqlite_migrations" VALUES(1,'ledger','m001_initial','2026-11-26 08:20:36.469894+00:00');
CREATE TABLE calendar_confirmed (year INTEGER PRIMARY KEY, confirmed_at TEXT NOT NULL);
CREATE TABLE calendar_overrides (
            date TEXT PRIMARY KEY,
            working INTEGER NOT NULL CHECK (working IN (0, 1)),
            name TEXT,
            entered_at TEXT NOT NULL
        );
CREATE TABLE cases (
            id TEXT PRIMARY KEY,
            year INTEGER NOT NULL,
            seq INTEGER NOT NULL,
            ref TEXT,
            received_at TEXT NOT NULL,
            channel TEXT,
            applicant TEXT NOT NULL,
            contact TEXT,
            matter TEXT NOT NULL,
            problem TEXT,
            cause TEXT,
            sections TEXT,
            scope TEXT,
            department_id INTEGER REFERENCES departments(id),
            time_limit TEXT NOT NULL,
            deadline TEXT NOT NULL,
            dispatched_at TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            resolved_at TEXT,
            resolution TEXT,
            method TEXT,
            outcome TEXT,
            feedback_due TEXT,
            feedback_at TEXT,
            feedback_via TEXT,
            satisfaction TEXT,
            status TEXT NOT NULL,
            extensions TEXT,
            UNIQUE (year, seq)
        );
INSERT INTO "cases" VALUES('2026-0001',2026,1,NULL,'2026-09-14 09:10','online','鑫源餐饮店','13805710001','食品经营许可证新办','not-approved','网上提交三次均被退回，每次退回理由不一致','market','within',1,'standard','2026-09-17','2026-09-14 09:30',0,'2026-09-16 16:00','done','协调市场准入科一次性告知全部补正材料，当场受理','食品经营许可证已核发','2026-09-17','2026-09-17 10:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0002',2026,2,NULL,'2026-09-14 10:20','window','陈女士','13905710002','个体工商户注销','unclear-policy','不清楚注销前是否需要先办理税务清税','market','within',NULL,'simple','2026-09-14',NULL,0,'2026-09-14 10:40','done','窗口电话联系税务窗口确认流程','已一次性告知注销及清税步骤','2026-09-15','2026-09-14 10:45','visit','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0003',2026,3,NULL,'2026-09-14 14:00','online','华信智能科技有限公司','13605710003','企业投资项目备案信息变更','not-accepted','备案系统提示项目代码冲突，无法提交变更','investment','within',2,'standard','2026-09-17','2026-09-14 14:30',0,'2026-09-17 11:00','done','投资项目科联系省投资项目在线审批平台运维处理代码冲突','变更已完成备案','2026-09-18','2026-09-18 09:00','phone','basic','closed',NULL);
INSERT INTO "cases" VALUES('2026-0004',2026,4,NULL,'2026-09-15 09:00','window','刘先生','13705710004','城乡居民医保异地就医备案','repeat-visits','线上备案三次失败，到服务大厅跑了两趟仍未解决','social','within',4,'standard','2026-09-18','2026-09-15 09:20',0,'2026-09-16 15:00','done','社会事务科工作人员到窗口现场协助办理','异地就医备案成功','2026-09-17','2026-09-16 16:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0005',2026,5,NULL,'2026-09-15 11:00','hotline','晨光农业专业合作社','13505710005','农机购置补贴申请','not-approved','补贴申请提交后两个月未审核','agri-water','within',5,'complex','2026-09-23','2026-09-15 11:30',0,'2026-09-24 16:00','done','农水事务科协调区农机中心现场核验','补贴已审核通过，进入公示','2026-09-28','2026-09-28 09:30','phone','satisfied','closed','[{"at": "2026-09-21 10:00", "days": 2, "from": "2026-09-21", "to": "2026-09-23", "reason": "需区农机部门到场核验机具"}]');
INSERT INTO "cases" VALUES('2026-0006',2026,6,NULL,'2026-09-16 09:30','window','宏达建设工程有限公司','13305710006','建筑工程施工许可证办理','not-accepted','消防设计审查意见未出具，施工许可无法受理','construction,market','involves',3,'complex','2026-09-22','2026-09-16 10:00',1,'2026-09-23 15:00','done','工程建设科牵头消防审查并联办理','施工许可证已核发','2026-09-24','2026-09-24 10:00','visit','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0007',2026,7,NULL,'2026-09-16 14:00','phone','王先生','13805710007','个人所得税汇算清缴退税','other','个税App显示已审核，但一个月未到账',NULL,'other-unit',6,'standard','2026-09-20','2026-09-16 14:20',0,'2026-09-18 10:00','done','转二楼税务窗口核查退税账户','银行卡信息有误，已更正，退税已到账','2026-09-20','2026-09-18 11:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0008',2026,8,NULL,'2026-09-17 10:00','letter','李女士','13905710008','公共租赁住房申请资格审核','not-approved','材料齐全，三个月没有审核结果','social','within',4,'standard','2026-09-21','2026-09-17 10:30',0,'2026-09-22 16:00','done','社会事务科核查发现系统漏推送，已补推审核','资格审核已通过','2026-09-23','2026-09-23 09:00','letter','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0009',2026,9,NULL,'2026-09-17 15:00','hotline','某先生',NULL,'反映小区违章搭建无人处理','special','多次向街道反映未果',NULL,'outside',NULL,'cannot','2026-09-17',NULL,0,'2026-09-17 15:30','cannot',NULL,'违建查处属综合行政执法部门职责，不是审批事项，已告知向区综合行政执法局反映并提供电话','2026-09-17','2026-09-17 16:00','phone',NULL,'closed',NULL);
INSERT INTO "cases" VALUES('2026-0010',2026,10,NULL,'2026-09-18 09:00','phone','绿源水产养殖场','13605710010','取水许可延续','unclear-policy','不清楚延续需要哪些材料','agri-water','within',NULL,'simple','2026-09-18',NULL,0,'2026-09-18 09:20','done','电话联系农水事务科确认材料清单','已一次性告知延续材料','2026-09-20','2026-09-18 09:25','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0011',2026,11,NULL,'2026-09-18 10:30','window','张先生','13705710011','二手房契税核定','not-accepted','原购房发票遗失，契税核定无法受理',NULL,'other-unit',6,'standard','2026-09-22','2026-09-18 10:50',0,'2026-09-21 14:00','done','税务窗口以发票查询记录替代原件完成核定','契税已核定，不动产登记已受理','2026-09-22','2026-09-22 10:00','phone','basic','closed',NULL);
INSERT INTO "cases" VALUES('2026-0012',2026,12,NULL,'2026-09-20 09:00','window','启明教育咨询有限公司','13305710012','民办培训机构办学许可','repeat-visits','办学许可与营业执照两个环节互相要求先办，来回跑了四趟','social,market','involves',1,'complex','2026-09-28','2026-09-21 11:00',0,'2026-09-28 15:00','done','召集两科室会商，明确先照后证的办理顺序','营业执照已办结，办学许可进入审查','2026-09-29','2026-09-29 10:00','visit','unsatisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0013',2026,13,NULL,'2026-09-21 10:00','online','赵女士','13905710013','生育津贴申领','not-approved','单位已申报，两个月未发放','social','within',4,'standard','2026-09-24','2026-09-21 10:20',0,'2026-09-23 15:00','done','社会事务科联系医保经办机构加急审核','生育津贴已发放','2026-09-24','2026-09-24 09:00','sms','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0014',2026,14,NULL,'2026-09-21 14:00','online','恒通物流有限公司','13605710014','道路货物运输经营许可变更','not-accepted','变更经营地址后系统无法提交','market','within',1,'standard','2026-09-24','2026-09-21 14:20',0,'2026-09-22 11:00','done','协调省平台修正地址字段','变更已完成','2026-09-23','2026-09-22 14:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0015',2026,15,NULL,'2026-09-22 09:30','phone','孙先生','13805710015','农村宅基地建房审批','repeat-visits','村里说要镇里批，镇里说要区里批','agri-water,construction','involves',5,'complex','2026-09-30','2026-09-22 09:50',0,'2026-09-29 16:00','done','农水事务科会同自然资源所明确审批层级','申请已由镇政府受理','2026-09-30','2026-09-30 10:00','phone','basic','closed',NULL);
INSERT INTO "cases" VALUES('2026-0016',2026,16,NULL,'2026-09-22 15:00','window','周女士','13705710016','残疾人两项补贴申请','unclear-policy','不清楚申请条件','social','within',NULL,'simple','2026-09-22',NULL,0,'2026-09-22 15:20','done','窗口电话联系社会事务科确认','已告知申请条件和材料','2026-09-23','2026-09-22 15:25','visit','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0017',2026,17,NULL,'2026-09-23 10:00','letter','锦程房地产开发有限公司','13305710017','商品房预售许可','not-approved','资料提交四十天未出结果','construction','within',3,'complex','2026-10-08','2026-09-23 10:30',1,'2026-10-09 10:00','done','工程建设科督促完成现场查验','预售许可证已核发','2026-10-10','2026-10-09 15:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0018',2026,18,NULL,'2026-09-24 09:00','online','吴先生','13905710018','灵活就业人员社保缴费基数调整','other','线上调整提示无操作权限','social','within',4,'standard','2026-09-30','2026-09-24 09:20',0,'2026-09-28 11:00','done','社会事务科后台开通调整权限','缴费基数已调整','2026-09-29','2026-09-28 14:00','sms','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0019',2026,19,NULL,'2026-09-24 11:00','phone','泰和食品有限公司','13605710019','增值税留抵退税','not-approved','申请后一个月未到账',NULL,'other-unit',6,'standard','2026-09-30','2026-09-24 11:20',0,'2026-09-29 10:00','done','税务窗口核查审批进度','退税已审核，三个工作日内到账','2026-09-30','2026-09-29 11:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0020',2026,20,NULL,'2026-09-28 09:00','online','郑女士','13705710020','个体工商户经营范围变更','not-accepted','网上提交提示经营范围表述不规范','market','within',NULL,'simple','2026-09-28',NULL,0,'2026-09-28 09:30','done','窗口指导选用规范经营范围表述','当场提交成功','2026-09-29','2026-09-28 09:35','visit','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0021',2026,21,NULL,'2026-09-28 14:00','phone','远航进出口贸易有限公司','13305710021','外商投资信息报告','unclear-policy','不清楚报告时限和渠道','investment','within',NULL,'simple','2026-09-28',NULL,0,'2026-09-28 14:20','done','电话联系投资项目科','已告知报告时限和填报渠道','2026-09-29','2026-09-28 14:25','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0022',2026,22,NULL,'2026-09-29 09:30','window','钱先生','13805710022','建设工程竣工联合验收','special','规划、消防、人防三家验收时间协调不上','construction','involves',3,'complex','2026-10-15','2026-09-29 10:00',2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched','[{"at": "2026-10-08 09:00", "days": 3, "from": "2026-10-12", "to": "2026-10-15", "reason": "人防部门现场踏勘需排期"}]');
INSERT INTO "cases" VALUES('2026-0023',2026,23,NULL,'2026-09-29 11:00','letter','田园家庭农场','13505710023','高标准农田建设项目尾款拨付','not-approved','项目已验收，尾款半年未拨付','agri-water,investment','involves',5,'complex','2026-10-12','2026-09-29 11:30',2,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0024',2026,24,NULL,'2026-09-30 09:00','hotline','冯女士','13905710024','医保关系转移接续','repeat-visits','转出地已办理，转入地查询不到记录','social','within',4,'standard','2026-10-10','2026-09-30 09:20',1,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0025',2026,25,NULL,'2026-09-30 14:00','online','博远科技有限公司','13605710025','高新技术企业认定申报','not-accepted','系统提示不在受理期，但通知称可随时申报','investment','within',2,'standard','2026-10-10','2026-10-08 14:00',0,'2026-10-09 16:00','done','投资项目科与区科技局沟通，明确受理渠道','已在科技部门系统重新提交','2026-10-10','2026-10-10 09:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0026',2026,26,NULL,'2026-09-30 15:30','phone','褚先生','13705710026','社保卡补办进度','other','补办三周未收到','social','within',NULL,'simple','2026-09-30',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'void',NULL);
INSERT INTO "cases" VALUES('2026-0027',2026,27,NULL,'2026-10-08 09:00','online','卫女士','13805710027','建筑业企业资质延续','not-accepted','系统提示社保人员数据不一致','construction','within',3,'standard','2026-10-12','2026-10-08 09:30',0,'2026-10-10 11:00','done','工程建设科协调社保数据比对','资质延续申请已受理','2026-10-12',NULL,NULL,NULL,'resolved',NULL);
INSERT INTO "cases" VALUES('2026-0028',2026,28,NULL,'2026-10-08 10:00','hotline','蒋先生','13905710028','二次供水设施验收','unclear-policy','不清楚应找哪个部门','construction,agri-water','involves',NULL,'simple','2026-10-08',NULL,0,'2026-10-08 10:30','done','电话联系工程建设科、农水事务科确认','已告知验收牵头部门','2026-10-09','2026-10-08 10:40','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0029',2026,29,NULL,'2026-10-08 14:00','window','沈女士','13605710029','退役军人优待证申领','other','以为可在本中心办理',NULL,'other-unit',NULL,'cannot','2026-10-08',NULL,0,'2026-10-08 14:20','cannot',NULL,'该事项属区退役军人事务局业务，不在本中心审批范围，已告知办理地址和电话','2026-10-08','2026-10-08 14:25','visit','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0030',2026,30,NULL,'2026-10-09 09:00','online','韩先生','13705710030','营业执照遗失补领','not-accepted','线上补领提示身份认证失败','market','within',1,'simple','2026-10-09','2026-10-09 09:20',0,'2026-10-09 11:00','done','市场准入科核实身份后窗口办理','营业执照已补发','2026-10-10','2026-10-09 14:00','sms','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0031',2026,31,NULL,'2026-10-09 10:30','phone','杨女士','13805710031','城乡居民养老保险待遇领取','not-approved','到龄三个月未发放养老金','social','within',4,'standard','2026-10-13','2026-10-09 10:50',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0032',2026,32,NULL,'2026-10-09 15:00','letter','朱先生','13305710032','企业投资项目节能审查','not-approved','审查意见超期未出具','investment','within',2,'complex','2026-10-15','2026-10-09 15:30',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0033',2026,33,NULL,'2026-10-10 09:00','window','秦女士','13905710033','药品经营许可证变更','unclear-policy','变更法定代表人后被要求重新现场检查','market','within',1,'standard','2026-10-16','2026-10-10 09:30',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched','[{"at": "2026-10-13 10:00", "days": 2, "from": "2026-10-14", "to": "2026-10-16", "reason": "需安排现场检查"}]');
INSERT INTO "cases" VALUES('2026-0034',2026,34,NULL,'2026-10-10 11:00','online','尤先生','13605710034','水土保持方案审批','special','审批系统与投资在线平台数据不同步','agri-water,investment','involves',5,'complex','2026-10-21','2026-10-14 11:00',0,NULL,NULL,'农水事务科协调平台同步数据后出具审批意见','水土保持方案已批复',NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0035',2026,35,NULL,'2026-10-10 14:00','hotline','许女士','13705710035','失业保险金申领','not-approved','申领后一个月未到账','social','within',4,'standard','2026-10-14','2026-10-10 14:20',0,'2026-10-12 15:00','done','社会事务科核查后补录银行账户','失业保险金已发放','2026-10-13','2026-10-12 16:00','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0036',2026,36,NULL,'2026-10-12 09:00','phone','何先生','13805710036','个体户定期定额核定异议','other','认为核定税额高于实际经营',NULL,'other-unit',6,'standard','2026-10-15','2026-10-12 09:30',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0037',2026,37,NULL,'2026-10-12 10:00','window','吕女士','13905710037','出生医学证明补办','repeat-visits','医院说要去卫健部门，卫健部门说要回医院','social','within',4,'standard','2026-10-15',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'classified',NULL);
INSERT INTO "cases" VALUES('2026-0038',2026,38,NULL,'2026-10-12 14:00','letter','施先生','13605710038','建设用地规划许可','not-approved','规划条件调整后申请被退回','construction,investment','involves',3,'complex','2026-10-19','2026-10-12 14:30',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0039',2026,39,NULL,'2026-10-13 09:00','window','刘先生','13705710004','异地就医报销被拒','repeat-visits','已办理异地备案，报销时仍显示未备案','social','within',4,'standard','2026-10-16','2026-10-13 09:20',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0040',2026,40,NULL,'2026-10-13 10:30','phone','孔女士','13905710040','食品小作坊登记','unclear-policy','不清楚小作坊登记与食品生产许可的区别','market','within',NULL,'simple','2026-10-13',NULL,0,'2026-10-13 10:50','done','电话联系市场准入科确认','已告知小作坊登记条件和材料','2026-10-14',NULL,NULL,NULL,'resolved',NULL);
INSERT INTO "cases" VALUES('2026-0041',2026,41,NULL,'2026-10-13 14:00','window','曹先生','13805710041','城镇污水排入排水管网许可','repeat-visits','材料被要求反复补正','construction','within',3,'standard','2026-10-16',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'classified',NULL);
INSERT INTO "cases" VALUES('2026-0042',2026,42,NULL,'2026-10-14 08:40','online','严女士','13705710042','个体工商户年度报告修改','other','年报已提交后发现数据错误无法修改','market','within',NULL,'simple','2026-10-14',NULL,0,'2026-10-14 09:00','done','电话联系市场准入科开通修改','年报已修改','2026-10-15','2026-10-14 09:05','phone','satisfied','closed',NULL);
INSERT INTO "cases" VALUES('2026-0043',2026,43,NULL,'2026-10-14 09:30','window','华先生','13905710043','农村土地承包经营权流转备案','special','村委会不予盖章','agri-water','within',5,'standard','2026-10-19','2026-10-14 10:00',0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'dispatched',NULL);
INSERT INTO "cases" VALUES('2026-0044',2026,44,NULL,'2026-10-14 10:15','letter','金女士','13605710044','最低生活保障申请复核','not-approved','认为家庭收入核算有误，申请被拒','social','within',4,'cannot','2026-10-14',NULL,0,'2026-10-14 15:00','cannot',NULL,'经社会事务科复核，家庭人均收入高于本区低保标准，依规不能办理；已准备书面说明及复核依据','2026-10-14',NULL,NULL,NULL,'resolved',NULL);
INSERT INTO "cases" VALUES('2026-0045',2026,45,NULL,'2026-10-14 11:00','other','魏先生','13305710045','工程款拖欠投诉','other','施工方拖欠工程款三个月',NULL,NULL,NULL,'standard','2026-10-19',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'received',NULL);
INSERT INTO "cases" VALUES('2026-0046',2026,46,NULL,'2026-10-14 14:30','phone','陶女士','13805710046','住房公积金提取','unclear-policy','离职后提取被告知需等待半年',NULL,NULL,NULL,'standard','2026-10-19',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'received',NULL);
INSERT INTO "cases" VALUES('2026-0047',2026,47,NULL,'2026-09-28 09:00',NULL,'张记餐饮','13900001111','食品经营许可证变更',NULL,NULL,'market','within',6,'standard','2026-10-19','2026-10-14 09:00',1,NULL,NULL,'协调税务','已变更',NULL,NULL,NULL,NULL,'dispatched','[{"at": "2026-09-30 09:00", "days": 2, "from": "2026-10-08", "to": "2026-10-10", "reason": "需调档"}]');
INSERT INTO "cases" VALUES('2026-0048',2026,48,NULL,'2026-10-08 09:00','window','Li Wei (李伟)','13700003333','Social insurance transfer',NULL,NULL,NULL,NULL,4,'standard','2026-10-12','2026-10-08 10:00',0,'2026-10-12 16:00','cannot',NULL,'Not within the district''s power','2026-10-12',NULL,NULL,NULL,'resolved',NULL);
INSERT INTO "cases" VALUES('2026-0049',2026,49,NULL,'2026-10-09 09:00',NULL,'王五',NULL,'农机补贴',NULL,NULL,'social','within',NULL,'standard','2026-10-13',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'classified',NULL);
INSERT INTO "cases" VALUES('2026-0050',2026,50,NULL,'2026-10-10 09:00',NULL,'重复',NULL,'误登记',NULL,NULL,NULL,NULL,NULL,'standard','2026-10-14',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'void',NULL);
INSERT INTO "cases" VALUES('2026-0051',2026,51,NULL,'2026-10-12 09:00',NULL,'赵六',NULL,'个体户注销',NULL,NULL,NULL,NULL,1,'standard','2026-10-15',NULL,0,NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL,'classified',NULL);
CREATE TABLE departments (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('section', 'unit')),
            floor TEXT,
            phone TEXT
        );
INSERT INTO "departments" VALUES(1,'市场准入','section','1',NULL);
INSERT INTO "departments" VALUES(2,'投资项目','section',NULL,NULL);
INSERT INTO "departments" VALUES(3,'工程建设','section',NULL,NULL);
INSERT INTO "departments" VALUES(4,'社会事务','section','3',NULL);
INSERT INTO "departments" VALUES(5,'农水事务','section',NULL,NULL);
INSERT INTO "departments" VALUES(6,'税务','unit','2',NULL);
CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id),
            at TEXT NOT NULL,
            action TEXT NOT NULL,
            status_from TEXT,
            status_to TEXT NOT NULL,
            note TEXT,
            field TEXT,
            old_value TEXT,
            new_value TEXT,
            days INTEGER,
            -- what is in force after the event
            department_id INTEGER REFERENCES departments(id),
            deadline TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            feedback_due TEXT
        );
INSERT INTO "events" VALUES(1,'2026-0001','2026-09-17 10:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,1,'2026-09-17',0,'2026-09-17');
INSERT INTO "events" VALUES(2,'2026-0002','2026-09-14 10:45','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-14',0,'2026-09-15');
INSERT INTO "events" VALUES(3,'2026-0003','2026-09-18 09:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,2,'2026-09-17',0,'2026-09-18');
INSERT INTO "events" VALUES(4,'2026-0004','2026-09-16 16:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,4,'2026-09-18',0,'2026-09-17');
INSERT INTO "events" VALUES(5,'2026-0005','2026-09-28 09:30','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,5,'2026-09-23',0,'2026-09-28');
INSERT INTO "events" VALUES(6,'2026-0006','2026-09-24 10:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,3,'2026-09-22',1,'2026-09-24');
INSERT INTO "events" VALUES(7,'2026-0007','2026-09-18 11:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,6,'2026-09-20',0,'2026-09-20');
INSERT INTO "events" VALUES(8,'2026-0008','2026-09-23 09:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,4,'2026-09-21',0,'2026-09-23');
INSERT INTO "events" VALUES(9,'2026-0009','2026-09-17 16:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-17',0,'2026-09-17');
INSERT INTO "events" VALUES(10,'2026-0010','2026-09-18 09:25','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-18',0,'2026-09-20');
INSERT INTO "events" VALUES(11,'2026-0011','2026-09-22 10:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,6,'2026-09-22',0,'2026-09-22');
INSERT INTO "events" VALUES(12,'2026-0012','2026-09-29 10:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,1,'2026-09-28',0,'2026-09-29');
INSERT INTO "events" VALUES(13,'2026-0013','2026-09-24 09:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,4,'2026-09-24',0,'2026-09-24');
INSERT INTO "events" VALUES(14,'2026-0014','2026-09-22 14:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,1,'2026-09-24',0,'2026-09-23');
INSERT INTO "events" VALUES(15,'2026-0015','2026-09-30 10:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,5,'2026-09-30',0,'2026-09-30');
INSERT INTO "events" VALUES(16,'2026-0016','2026-09-22 15:25','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-22',0,'2026-09-23');
INSERT INTO "events" VALUES(17,'2026-0017','2026-10-09 15:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,3,'2026-10-08',1,'2026-10-10');
INSERT INTO "events" VALUES(18,'2026-0018','2026-09-28 14:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,4,'2026-09-30',0,'2026-09-29');
INSERT INTO "events" VALUES(19,'2026-0019','2026-09-29 11:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,6,'2026-09-30',0,'2026-09-30');
INSERT INTO "events" VALUES(20,'2026-0020','2026-09-28 09:35','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-28',0,'2026-09-29');
INSERT INTO "events" VALUES(21,'2026-0021','2026-09-28 14:25','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-28',0,'2026-09-29');
INSERT INTO "events" VALUES(22,'2026-0022','2026-10-08 09:00','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,3,'2026-10-15',2,NULL);
INSERT INTO "events" VALUES(23,'2026-0023','2026-09-29 11:30','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,5,'2026-10-12',2,NULL);
INSERT INTO "events" VALUES(24,'2026-0024','2026-09-30 09:20','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,4,'2026-10-10',1,NULL);
INSERT INTO "events" VALUES(25,'2026-0025','2026-10-10 09:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,2,'2026-10-10',0,'2026-10-10');
INSERT INTO "events" VALUES(26,'2026-0026','2026-09-30 15:30','imported',NULL,'void',NULL,NULL,NULL,NULL,NULL,NULL,'2026-09-30',0,NULL);
INSERT INTO "events" VALUES(27,'2026-0027','2026-10-10 11:00','imported',NULL,'resolved',NULL,NULL,NULL,NULL,NULL,3,'2026-10-12',0,'2026-10-12');
INSERT INTO "events" VALUES(28,'2026-0028','2026-10-08 10:40','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-08',0,'2026-10-09');
INSERT INTO "events" VALUES(29,'2026-0029','2026-10-08 14:25','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-08',0,'2026-10-08');
INSERT INTO "events" VALUES(30,'2026-0030','2026-10-09 14:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,1,'2026-10-09',0,'2026-10-10');
INSERT INTO "events" VALUES(31,'2026-0031','2026-10-09 10:50','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,4,'2026-10-13',0,NULL);
INSERT INTO "events" VALUES(32,'2026-0032','2026-10-09 15:30','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,2,'2026-10-15',0,NULL);
INSERT INTO "events" VALUES(33,'2026-0033','2026-10-13 10:00','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,1,'2026-10-16',0,NULL);
INSERT INTO "events" VALUES(34,'2026-0034','2026-10-14 11:00','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,5,'2026-10-21',0,NULL);
INSERT INTO "events" VALUES(35,'2026-0035','2026-10-12 16:00','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,4,'2026-10-14',0,'2026-10-13');
INSERT INTO "events" VALUES(36,'2026-0036','2026-10-12 09:30','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,6,'2026-10-15',0,NULL);
INSERT INTO "events" VALUES(37,'2026-0037','2026-10-12 10:00','imported',NULL,'classified',NULL,NULL,NULL,NULL,NULL,4,'2026-10-15',0,NULL);
INSERT INTO "events" VALUES(38,'2026-0038','2026-10-12 14:30','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,3,'2026-10-19',0,NULL);
INSERT INTO "events" VALUES(39,'2026-0039','2026-10-13 09:20','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,4,'2026-10-16',0,NULL);
INSERT INTO "events" VALUES(40,'2026-0040','2026-10-13 10:50','imported',NULL,'resolved',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-13',0,'2026-10-14');
INSERT INTO "events" VALUES(41,'2026-0041','2026-10-13 14:00','imported',NULL,'classified',NULL,NULL,NULL,NULL,NULL,3,'2026-10-16',0,NULL);
INSERT INTO "events" VALUES(42,'2026-0042','2026-10-14 09:05','imported',NULL,'closed',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-14',0,'2026-10-15');
INSERT INTO "events" VALUES(43,'2026-0043','2026-10-14 10:00','imported',NULL,'dispatched',NULL,NULL,NULL,NULL,NULL,5,'2026-10-19',0,NULL);
INSERT INTO "events" VALUES(44,'2026-0044','2026-10-14 15:00','imported',NULL,'resolved',NULL,NULL,NULL,NULL,NULL,4,'2026-10-14',0,'2026-10-14');
INSERT INTO "events" VALUES(45,'2026-0045','2026-10-14 11:00','imported',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-19',0,NULL);
INSERT INTO "events" VALUES(46,'2026-0046','2026-10-14 14:30','imported',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-19',0,NULL);
INSERT INTO "events" VALUES(47,'2026-0047','2026-09-28 09:00','received',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(48,'2026-0047','2026-09-28 09:00','classify','received','classified','涉及科室类别: 市场准入; 归类范围: 属于五类',NULL,NULL,NULL,NULL,NULL,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(49,'2026-0047','2026-09-28 10:00','classify','classified','classified','承办单位: 市场准入',NULL,NULL,NULL,NULL,1,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(50,'2026-0047','2026-09-28 10:00','dispatch','classified','dispatched','市场准入',NULL,NULL,NULL,NULL,1,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(51,'2026-0047','2026-09-29 09:00','return','dispatched','classified','材料不属本科',NULL,NULL,NULL,NULL,1,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(52,'2026-0047','2026-09-29 10:00','classify','classified','classified','承办单位: 税务',NULL,NULL,NULL,NULL,6,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(53,'2026-0047','2026-09-29 10:00','dispatch','classified','dispatched','税务',NULL,NULL,NULL,NULL,6,'2026-10-08',0,NULL);
INSERT INTO "events" VALUES(54,'2026-0047','2026-09-30 09:00','extend','dispatched','dispatched','需调档','deadline','2026-10-08','2026-10-10',2,6,'2026-10-10',0,NULL);
INSERT INTO "events" VALUES(55,'2026-0047','2026-10-12 09:00','urge','dispatched','dispatched','电话催办',NULL,NULL,NULL,NULL,6,'2026-10-10',1,NULL);
INSERT INTO "events" VALUES(56,'2026-0047','2026-10-13 10:00','resolve','dispatched','resolved','协调税务 / 已变更',NULL,NULL,'done',NULL,6,'2026-10-10',1,'2026-10-14');
INSERT INTO "events" VALUES(57,'2026-0047','2026-10-13 15:00','feedback','resolved','closed','电话 / 不满意',NULL,NULL,'unsatisfied',NULL,6,'2026-10-10',1,'2026-10-14');
INSERT INTO "events" VALUES(58,'2026-0047','2026-10-14 09:00','reopen','closed','dispatched','申请人不满意',NULL,NULL,NULL,NULL,6,'2026-10-19',1,NULL);
INSERT INTO "events" VALUES(59,'2026-0048','2026-10-08 09:00','received',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(60,'2026-0048','2026-10-08 10:00','classify','received','classified','Department: 社会事务',NULL,NULL,NULL,NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(61,'2026-0048','2026-10-08 10:00','dispatch','classified','dispatched','社会事务',NULL,NULL,NULL,NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(62,'2026-0048','2026-10-09 09:00','edit','dispatched','dispatched',NULL,'applicant','Li Wei','Li Wei (李伟)',NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(63,'2026-0048','2026-10-09 09:00','edit','dispatched','dispatched',NULL,'contact','13700002222','13700003333',NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(64,'2026-0048','2026-10-09 09:00','edit','dispatched','dispatched',NULL,'channel','phone','window',NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(65,'2026-0048','2026-10-09 10:00','note','dispatched','dispatched','called the applicant',NULL,NULL,NULL,NULL,4,'2026-10-12',0,NULL);
INSERT INTO "events" VALUES(66,'2026-0048','2026-10-12 16:00','resolve','dispatched','resolved','Not within the district''s power',NULL,NULL,'cannot',NULL,4,'2026-10-12',0,'2026-10-12');
INSERT INTO "events" VALUES(67,'2026-0049','2026-10-09 09:00','received',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-15',0,NULL);
INSERT INTO "events" VALUES(68,'2026-0049','2026-10-09 09:30','classify','received','classified','涉及科室类别: 农水事务; 归类范围: 属于五类; 时限类别: 应办未办; 办理期限: 2026-10-13',NULL,NULL,NULL,NULL,NULL,'2026-10-13',0,NULL);
INSERT INTO "events" VALUES(69,'2026-0049','2026-10-09 09:40','edit','classified','classified',NULL,'sections','agri-water','social',NULL,NULL,'2026-10-13',0,NULL);
INSERT INTO "events" VALUES(70,'2026-0050','2026-10-10 09:00','received',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-14',0,NULL);
INSERT INTO "events" VALUES(71,'2026-0050','2026-10-10 09:30','void','received','void','重复登记',NULL,NULL,NULL,NULL,NULL,'2026-10-14',0,NULL);
INSERT INTO "events" VALUES(72,'2026-0051','2026-10-12 09:00','received',NULL,'received',NULL,NULL,NULL,NULL,NULL,NULL,'2026-10-15',0,NULL);
INSERT INTO "events" VALUES(73,'2026-0051','2026-10-12 09:00','classify','received','classified','承办单位: 市场准入',NULL,NULL,NULL,NULL,1,'2026-10-15',0,NULL);
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE states (
            id INTEGER PRIMARY KEY,
            case_id TEXT NOT NULL REFERENCES cases(id),
            valid_from TEXT NOT NULL,
            valid_until TEXT NOT NULL DEFAULT '9999-12-31 23:59',
            change TEXT NOT NULL,
            status TEXT NOT NULL,
            department_id INTEGER REFERENCES departments(id),
            deadline TEXT,
            chase_count INTEGER NOT NULL DEFAULT 0,
            feedback_due TEXT,
            resolution TEXT,
            satisfaction TEXT
        );
INSERT INTO "states" VALUES(1,'2026-0001','2026-09-14 09:10','2026-09-14 09:30','received','received',1,'2026-09-17',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(2,'2026-0001','2026-09-14 09:30','2026-09-16 16:00','dispatch','dispatched',1,'2026-09-17',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(3,'2026-0001','2026-09-16 16:00','2026-09-17 10:00','resolve','resolved',1,'2026-09-17',0,'2026-09-17','done',NULL);
INSERT INTO "states" VALUES(4,'2026-0001','2026-09-17 10:00','9999-12-31 23:59','feedback','closed',1,'2026-09-17',0,'2026-09-17','done','satisfied');
INSERT INTO "states" VALUES(5,'2026-0002','2026-09-14 10:20','2026-09-14 10:40','received','received',NULL,'2026-09-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(6,'2026-0002','2026-09-14 10:40','2026-09-14 10:45','resolve','resolved',NULL,'2026-09-14',0,'2026-09-15','done',NULL);
INSERT INTO "states" VALUES(7,'2026-0002','2026-09-14 10:45','9999-12-31 23:59','feedback','closed',NULL,'2026-09-14',0,'2026-09-15','done','satisfied');
INSERT INTO "states" VALUES(8,'2026-0003','2026-09-14 14:00','2026-09-14 14:30','received','received',2,'2026-09-17',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(9,'2026-0003','2026-09-14 14:30','2026-09-17 11:00','dispatch','dispatched',2,'2026-09-17',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(10,'2026-0003','2026-09-17 11:00','2026-09-18 09:00','resolve','resolved',2,'2026-09-17',0,'2026-09-18','done',NULL);
INSERT INTO "states" VALUES(11,'2026-0003','2026-09-18 09:00','9999-12-31 23:59','feedback','closed',2,'2026-09-17',0,'2026-09-18','done','basic');
INSERT INTO "states" VALUES(12,'2026-0004','2026-09-15 09:00','2026-09-15 09:20','received','received',4,'2026-09-18',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(13,'2026-0004','2026-09-15 09:20','2026-09-16 15:00','dispatch','dispatched',4,'2026-09-18',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(14,'2026-0004','2026-09-16 15:00','2026-09-16 16:00','resolve','resolved',4,'2026-09-18',0,'2026-09-17','done',NULL);
INSERT INTO "states" VALUES(15,'2026-0004','2026-09-16 16:00','9999-12-31 23:59','feedback','closed',4,'2026-09-18',0,'2026-09-17','done','satisfied');
INSERT INTO "states" VALUES(16,'2026-0005','2026-09-15 11:00','2026-09-15 11:30','received','received',5,'2026-09-23',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(17,'2026-0005','2026-09-15 11:30','2026-09-24 16:00','dispatch','dispatched',5,'2026-09-23',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(18,'2026-0005','2026-09-24 16:00','2026-09-28 09:30','resolve','resolved',5,'2026-09-23',0,'2026-09-28','done',NULL);
INSERT INTO "states" VALUES(19,'2026-0005','2026-09-28 09:30','9999-12-31 23:59','feedback','closed',5,'2026-09-23',0,'2026-09-28','done','satisfied');
INSERT INTO "states" VALUES(20,'2026-0006','2026-09-16 09:30','2026-09-16 10:00','received','received',3,'2026-09-22',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(21,'2026-0006','2026-09-16 10:00','2026-09-23 15:00','dispatch','dispatched',3,'2026-09-22',1,NULL,NULL,NULL);
INSERT INTO "states" VALUES(22,'2026-0006','2026-09-23 15:00','2026-09-24 10:00','resolve','resolved',3,'2026-09-22',1,'2026-09-24','done',NULL);
INSERT INTO "states" VALUES(23,'2026-0006','2026-09-24 10:00','9999-12-31 23:59','feedback','closed',3,'2026-09-22',1,'2026-09-24','done','satisfied');
INSERT INTO "states" VALUES(24,'2026-0007','2026-09-16 14:00','2026-09-16 14:20','received','received',6,'2026-09-20',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(25,'2026-0007','2026-09-16 14:20','2026-09-18 10:00','dispatch','dispatched',6,'2026-09-20',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(26,'2026-0007','2026-09-18 10:00','2026-09-18 11:00','resolve','resolved',6,'2026-09-20',0,'2026-09-20','done',NULL);
INSERT INTO "states" VALUES(27,'2026-0007','2026-09-18 11:00','9999-12-31 23:59','feedback','closed',6,'2026-09-20',0,'2026-09-20','done','satisfied');
INSERT INTO "states" VALUES(28,'2026-0008','2026-09-17 10:00','2026-09-17 10:30','received','received',4,'2026-09-21',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(29,'2026-0008','2026-09-17 10:30','2026-09-22 16:00','dispatch','dispatched',4,'2026-09-21',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(30,'2026-0008','2026-09-22 16:00','2026-09-23 09:00','resolve','resolved',4,'2026-09-21',0,'2026-09-23','done',NULL);
INSERT INTO "states" VALUES(31,'2026-0008','2026-09-23 09:00','9999-12-31 23:59','feedback','closed',4,'2026-09-21',0,'2026-09-23','done','satisfied');
INSERT INTO "states" VALUES(32,'2026-0009','2026-09-17 15:00','2026-09-17 15:30','received','received',NULL,'2026-09-17',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(33,'2026-0009','2026-09-17 15:30','2026-09-17 16:00','resolve','resolved',NULL,'2026-09-17',0,'2026-09-17','cannot',NULL);
INSERT INTO "states" VALUES(34,'2026-0009','2026-09-17 16:00','9999-12-31 23:59','feedback','closed',NULL,'2026-09-17',0,'2026-09-17','cannot',NULL);
INSERT INTO "states" VALUES(35,'2026-0010','2026-09-18 09:00','2026-09-18 09:20','received','received',NULL,'2026-09-18',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(36,'2026-0010','2026-09-18 09:20','2026-09-18 09:25','resolve','resolved',NULL,'2026-09-18',0,'2026-09-20','done',NULL);
INSERT INTO "states" VALUES(37,'2026-0010','2026-09-18 09:25','9999-12-31 23:59','feedback','closed',NULL,'2026-09-18',0,'2026-09-20','done','satisfied');
INSERT INTO "states" VALUES(38,'2026-0011','2026-09-18 10:30','2026-09-18 10:50','received','received',6,'2026-09-22',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(39,'2026-0011','2026-09-18 10:50','2026-09-21 14:00','dispatch','dispatched',6,'2026-09-22',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(40,'2026-0011','2026-09-21 14:00','2026-09-22 10:00','resolve','resolved',6,'2026-09-22',0,'2026-09-22','done',NULL);
INSERT INTO "states" VALUES(41,'2026-0011','2026-09-22 10:00','9999-12-31 23:59','feedback','closed',6,'2026-09-22',0,'2026-09-22','done','basic');
INSERT INTO "states" VALUES(42,'2026-0012','2026-09-20 09:00','2026-09-21 11:00','received','received',1,'2026-09-28',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(43,'2026-0012','2026-09-21 11:00','2026-09-28 15:00','dispatch','dispatched',1,'2026-09-28',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(44,'2026-0012','2026-09-28 15:00','2026-09-29 10:00','resolve','resolved',1,'2026-09-28',0,'2026-09-29','done',NULL);
INSERT INTO "states" VALUES(45,'2026-0012','2026-09-29 10:00','9999-12-31 23:59','feedback','closed',1,'2026-09-28',0,'2026-09-29','done','unsatisfied');
INSERT INTO "states" VALUES(46,'2026-0013','2026-09-21 10:00','2026-09-21 10:20','received','received',4,'2026-09-24',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(47,'2026-0013','2026-09-21 10:20','2026-09-23 15:00','dispatch','dispatched',4,'2026-09-24',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(48,'2026-0013','2026-09-23 15:00','2026-09-24 09:00','resolve','resolved',4,'2026-09-24',0,'2026-09-24','done',NULL);
INSERT INTO "states" VALUES(49,'2026-0013','2026-09-24 09:00','9999-12-31 23:59','feedback','closed',4,'2026-09-24',0,'2026-09-24','done','satisfied');
INSERT INTO "states" VALUES(50,'2026-0014','2026-09-21 14:00','2026-09-21 14:20','received','received',1,'2026-09-24',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(51,'2026-0014','2026-09-21 14:20','2026-09-22 11:00','dispatch','dispatched',1,'2026-09-24',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(52,'2026-0014','2026-09-22 11:00','2026-09-22 14:00','resolve','resolved',1,'2026-09-24',0,'2026-09-23','done',NULL);
INSERT INTO "states" VALUES(53,'2026-0014','2026-09-22 14:00','9999-12-31 23:59','feedback','closed',1,'2026-09-24',0,'2026-09-23','done','satisfied');
INSERT INTO "states" VALUES(54,'2026-0015','2026-09-22 09:30','2026-09-22 09:50','received','received',5,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(55,'2026-0015','2026-09-22 09:50','2026-09-29 16:00','dispatch','dispatched',5,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(56,'2026-0015','2026-09-29 16:00','2026-09-30 10:00','resolve','resolved',5,'2026-09-30',0,'2026-09-30','done',NULL);
INSERT INTO "states" VALUES(57,'2026-0015','2026-09-30 10:00','9999-12-31 23:59','feedback','closed',5,'2026-09-30',0,'2026-09-30','done','basic');
INSERT INTO "states" VALUES(58,'2026-0016','2026-09-22 15:00','2026-09-22 15:20','received','received',NULL,'2026-09-22',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(59,'2026-0016','2026-09-22 15:20','2026-09-22 15:25','resolve','resolved',NULL,'2026-09-22',0,'2026-09-23','done',NULL);
INSERT INTO "states" VALUES(60,'2026-0016','2026-09-22 15:25','9999-12-31 23:59','feedback','closed',NULL,'2026-09-22',0,'2026-09-23','done','satisfied');
INSERT INTO "states" VALUES(61,'2026-0017','2026-09-23 10:00','2026-09-23 10:30','received','received',3,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(62,'2026-0017','2026-09-23 10:30','2026-10-09 10:00','dispatch','dispatched',3,'2026-10-08',1,NULL,NULL,NULL);
INSERT INTO "states" VALUES(63,'2026-0017','2026-10-09 10:00','2026-10-09 15:00','resolve','resolved',3,'2026-10-08',1,'2026-10-10','done',NULL);
INSERT INTO "states" VALUES(64,'2026-0017','2026-10-09 15:00','9999-12-31 23:59','feedback','closed',3,'2026-10-08',1,'2026-10-10','done','satisfied');
INSERT INTO "states" VALUES(65,'2026-0018','2026-09-24 09:00','2026-09-24 09:20','received','received',4,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(66,'2026-0018','2026-09-24 09:20','2026-09-28 11:00','dispatch','dispatched',4,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(67,'2026-0018','2026-09-28 11:00','2026-09-28 14:00','resolve','resolved',4,'2026-09-30',0,'2026-09-29','done',NULL);
INSERT INTO "states" VALUES(68,'2026-0018','2026-09-28 14:00','9999-12-31 23:59','feedback','closed',4,'2026-09-30',0,'2026-09-29','done','satisfied');
INSERT INTO "states" VALUES(69,'2026-0019','2026-09-24 11:00','2026-09-24 11:20','received','received',6,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(70,'2026-0019','2026-09-24 11:20','2026-09-29 10:00','dispatch','dispatched',6,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(71,'2026-0019','2026-09-29 10:00','2026-09-29 11:00','resolve','resolved',6,'2026-09-30',0,'2026-09-30','done',NULL);
INSERT INTO "states" VALUES(72,'2026-0019','2026-09-29 11:00','9999-12-31 23:59','feedback','closed',6,'2026-09-30',0,'2026-09-30','done','satisfied');
INSERT INTO "states" VALUES(73,'2026-0020','2026-09-28 09:00','2026-09-28 09:30','received','received',NULL,'2026-09-28',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(74,'2026-0020','2026-09-28 09:30','2026-09-28 09:35','resolve','resolved',NULL,'2026-09-28',0,'2026-09-29','done',NULL);
INSERT INTO "states" VALUES(75,'2026-0020','2026-09-28 09:35','9999-12-31 23:59','feedback','closed',NULL,'2026-09-28',0,'2026-09-29','done','satisfied');
INSERT INTO "states" VALUES(76,'2026-0021','2026-09-28 14:00','2026-09-28 14:20','received','received',NULL,'2026-09-28',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(77,'2026-0021','2026-09-28 14:20','2026-09-28 14:25','resolve','resolved',NULL,'2026-09-28',0,'2026-09-29','done',NULL);
INSERT INTO "states" VALUES(78,'2026-0021','2026-09-28 14:25','9999-12-31 23:59','feedback','closed',NULL,'2026-09-28',0,'2026-09-29','done','satisfied');
INSERT INTO "states" VALUES(79,'2026-0022','2026-09-29 09:30','2026-09-29 10:00','received','received',3,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(80,'2026-0022','2026-09-29 10:00','9999-12-31 23:59','dispatch','dispatched',3,'2026-10-15',2,NULL,NULL,NULL);
INSERT INTO "states" VALUES(81,'2026-0023','2026-09-29 11:00','2026-09-29 11:30','received','received',5,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(82,'2026-0023','2026-09-29 11:30','9999-12-31 23:59','dispatch','dispatched',5,'2026-10-12',2,NULL,NULL,NULL);
INSERT INTO "states" VALUES(83,'2026-0024','2026-09-30 09:00','2026-09-30 09:20','received','received',4,'2026-10-10',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(84,'2026-0024','2026-09-30 09:20','9999-12-31 23:59','dispatch','dispatched',4,'2026-10-10',1,NULL,NULL,NULL);
INSERT INTO "states" VALUES(85,'2026-0025','2026-09-30 14:00','2026-10-08 14:00','received','received',2,'2026-10-10',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(86,'2026-0025','2026-10-08 14:00','2026-10-09 16:00','dispatch','dispatched',2,'2026-10-10',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(87,'2026-0025','2026-10-09 16:00','2026-10-10 09:00','resolve','resolved',2,'2026-10-10',0,'2026-10-10','done',NULL);
INSERT INTO "states" VALUES(88,'2026-0025','2026-10-10 09:00','9999-12-31 23:59','feedback','closed',2,'2026-10-10',0,'2026-10-10','done','satisfied');
INSERT INTO "states" VALUES(89,'2026-0026','2026-09-30 15:30','2026-09-30 15:30','received','received',NULL,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(90,'2026-0026','2026-09-30 15:30','9999-12-31 23:59','void','void',NULL,'2026-09-30',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(91,'2026-0027','2026-10-08 09:00','2026-10-08 09:30','received','received',3,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(92,'2026-0027','2026-10-08 09:30','2026-10-10 11:00','dispatch','dispatched',3,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(93,'2026-0027','2026-10-10 11:00','9999-12-31 23:59','resolve','resolved',3,'2026-10-12',0,'2026-10-12','done',NULL);
INSERT INTO "states" VALUES(94,'2026-0028','2026-10-08 10:00','2026-10-08 10:30','received','received',NULL,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(95,'2026-0028','2026-10-08 10:30','2026-10-08 10:40','resolve','resolved',NULL,'2026-10-08',0,'2026-10-09','done',NULL);
INSERT INTO "states" VALUES(96,'2026-0028','2026-10-08 10:40','9999-12-31 23:59','feedback','closed',NULL,'2026-10-08',0,'2026-10-09','done','satisfied');
INSERT INTO "states" VALUES(97,'2026-0029','2026-10-08 14:00','2026-10-08 14:20','received','received',NULL,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(98,'2026-0029','2026-10-08 14:20','2026-10-08 14:25','resolve','resolved',NULL,'2026-10-08',0,'2026-10-08','cannot',NULL);
INSERT INTO "states" VALUES(99,'2026-0029','2026-10-08 14:25','9999-12-31 23:59','feedback','closed',NULL,'2026-10-08',0,'2026-10-08','cannot','satisfied');
INSERT INTO "states" VALUES(100,'2026-0030','2026-10-09 09:00','2026-10-09 09:20','received','received',1,'2026-10-09',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(101,'2026-0030','2026-10-09 09:20','2026-10-09 11:00','dispatch','dispatched',1,'2026-10-09',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(102,'2026-0030','2026-10-09 11:00','2026-10-09 14:00','resolve','resolved',1,'2026-10-09',0,'2026-10-10','done',NULL);
INSERT INTO "states" VALUES(103,'2026-0030','2026-10-09 14:00','9999-12-31 23:59','feedback','closed',1,'2026-10-09',0,'2026-10-10','done','satisfied');
INSERT INTO "states" VALUES(104,'2026-0031','2026-10-09 10:30','2026-10-09 10:50','received','received',4,'2026-10-13',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(105,'2026-0031','2026-10-09 10:50','9999-12-31 23:59','dispatch','dispatched',4,'2026-10-13',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(106,'2026-0032','2026-10-09 15:00','2026-10-09 15:30','received','received',2,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(107,'2026-0032','2026-10-09 15:30','9999-12-31 23:59','dispatch','dispatched',2,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(108,'2026-0033','2026-10-10 09:00','2026-10-10 09:30','received','received',1,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(109,'2026-0033','2026-10-10 09:30','9999-12-31 23:59','dispatch','dispatched',1,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(110,'2026-0034','2026-10-10 11:00','2026-10-14 11:00','received','received',5,'2026-10-21',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(111,'2026-0034','2026-10-14 11:00','9999-12-31 23:59','dispatch','dispatched',5,'2026-10-21',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(112,'2026-0035','2026-10-10 14:00','2026-10-10 14:20','received','received',4,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(113,'2026-0035','2026-10-10 14:20','2026-10-12 15:00','dispatch','dispatched',4,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(114,'2026-0035','2026-10-12 15:00','2026-10-12 16:00','resolve','resolved',4,'2026-10-14',0,'2026-10-13','done',NULL);
INSERT INTO "states" VALUES(115,'2026-0035','2026-10-12 16:00','9999-12-31 23:59','feedback','closed',4,'2026-10-14',0,'2026-10-13','done','satisfied');
INSERT INTO "states" VALUES(116,'2026-0036','2026-10-12 09:00','2026-10-12 09:30','received','received',6,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(117,'2026-0036','2026-10-12 09:30','9999-12-31 23:59','dispatch','dispatched',6,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(118,'2026-0037','2026-10-12 10:00','2026-10-12 10:00','received','received',4,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(119,'2026-0037','2026-10-12 10:00','9999-12-31 23:59','classify','classified',4,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(120,'2026-0038','2026-10-12 14:00','2026-10-12 14:30','received','received',3,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(121,'2026-0038','2026-10-12 14:30','9999-12-31 23:59','dispatch','dispatched',3,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(122,'2026-0039','2026-10-13 09:00','2026-10-13 09:20','received','received',4,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(123,'2026-0039','2026-10-13 09:20','9999-12-31 23:59','dispatch','dispatched',4,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(124,'2026-0040','2026-10-13 10:30','2026-10-13 10:50','received','received',NULL,'2026-10-13',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(125,'2026-0040','2026-10-13 10:50','9999-12-31 23:59','resolve','resolved',NULL,'2026-10-13',0,'2026-10-14','done',NULL);
INSERT INTO "states" VALUES(126,'2026-0041','2026-10-13 14:00','2026-10-13 14:00','received','received',3,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(127,'2026-0041','2026-10-13 14:00','9999-12-31 23:59','classify','classified',3,'2026-10-16',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(128,'2026-0042','2026-10-14 08:40','2026-10-14 09:00','received','received',NULL,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(129,'2026-0042','2026-10-14 09:00','2026-10-14 09:05','resolve','resolved',NULL,'2026-10-14',0,'2026-10-15','done',NULL);
INSERT INTO "states" VALUES(130,'2026-0042','2026-10-14 09:05','9999-12-31 23:59','feedback','closed',NULL,'2026-10-14',0,'2026-10-15','done','satisfied');
INSERT INTO "states" VALUES(131,'2026-0043','2026-10-14 09:30','2026-10-14 10:00','received','received',5,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(132,'2026-0043','2026-10-14 10:00','9999-12-31 23:59','dispatch','dispatched',5,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(133,'2026-0044','2026-10-14 10:15','2026-10-14 10:15','received','received',4,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(134,'2026-0044','2026-10-14 10:15','2026-10-14 15:00','classify','classified',4,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(135,'2026-0044','2026-10-14 15:00','9999-12-31 23:59','resolve','resolved',4,'2026-10-14',0,'2026-10-14','cannot',NULL);
INSERT INTO "states" VALUES(136,'2026-0045','2026-10-14 11:00','9999-12-31 23:59','received','received',NULL,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(137,'2026-0046','2026-10-14 14:30','9999-12-31 23:59','received','received',NULL,'2026-10-19',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(138,'2026-0047','2026-09-28 09:00','2026-09-28 09:00','received','received',NULL,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(139,'2026-0047','2026-09-28 09:00','2026-09-28 10:00','classify','classified',NULL,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(140,'2026-0047','2026-09-28 10:00','2026-09-28 10:00','classify','classified',1,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(141,'2026-0047','2026-09-28 10:00','2026-09-29 09:00','dispatch','dispatched',1,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(142,'2026-0047','2026-09-29 09:00','2026-09-29 10:00','return','classified',1,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(143,'2026-0047','2026-09-29 10:00','2026-09-29 10:00','classify','classified',6,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(144,'2026-0047','2026-09-29 10:00','2026-09-30 09:00','dispatch','dispatched',6,'2026-10-08',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(145,'2026-0047','2026-09-30 09:00','2026-10-12 09:00','extend','dispatched',6,'2026-10-10',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(146,'2026-0047','2026-10-12 09:00','2026-10-13 10:00','urge','dispatched',6,'2026-10-10',1,NULL,NULL,NULL);
INSERT INTO "states" VALUES(147,'2026-0047','2026-10-13 10:00','2026-10-13 15:00','resolve','resolved',6,'2026-10-10',1,'2026-10-14','done',NULL);
INSERT INTO "states" VALUES(148,'2026-0047','2026-10-13 15:00','2026-10-14 09:00','feedback','closed',6,'2026-10-10',1,'2026-10-14','done','unsatisfied');
INSERT INTO "states" VALUES(149,'2026-0047','2026-10-14 09:00','9999-12-31 23:59','reopen','dispatched',6,'2026-10-19',1,NULL,NULL,NULL);
INSERT INTO "states" VALUES(150,'2026-0048','2026-10-08 09:00','2026-10-08 10:00','received','received',NULL,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(151,'2026-0048','2026-10-08 10:00','2026-10-08 10:00','classify','classified',4,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(152,'2026-0048','2026-10-08 10:00','2026-10-12 16:00','dispatch','dispatched',4,'2026-10-12',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(153,'2026-0048','2026-10-12 16:00','9999-12-31 23:59','resolve','resolved',4,'2026-10-12',0,'2026-10-12','cannot',NULL);
INSERT INTO "states" VALUES(154,'2026-0049','2026-10-09 09:00','2026-10-09 09:30','received','received',NULL,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(155,'2026-0049','2026-10-09 09:30','9999-12-31 23:59','classify','classified',NULL,'2026-10-13',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(156,'2026-0050','2026-10-10 09:00','2026-10-10 09:30','received','received',NULL,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(157,'2026-0050','2026-10-10 09:30','9999-12-31 23:59','void','void',NULL,'2026-10-14',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(158,'2026-0051','2026-10-12 09:00','2026-10-12 09:00','received','received',NULL,'2026-10-15',0,NULL,NULL,NULL);
INSERT INTO "states" VALUES(159,'2026-0051','2026-10-12 09:00','9999-12-31 23:59','classify','classified',1,'2026-10-15',0,NULL,NULL,NULL);
CREATE UNIQUE INDEX "idx__sqlite_migrations_migration_set_name"
    ON "_sqlite_migrations" ("migration_set", "name");
CREATE INDEX cases_received_at ON cases (received_at);
CREATE INDEX cases_status ON cases (status);
CREATE INDEX cases_department ON cases (department_id);
CREATE INDEX cases_applicant ON cases (applicant);
CREATE INDEX cases_contact ON cases (contact);
CREATE INDEX events_case ON events (case_id, id);
CREATE INDEX states_as_of ON states (status, valid_until, valid_from);
CREATE INDEX states_case ON states (case_id, valid_until);
CREATE INDEX states_change ON states (change, valid_from);
COMMIT;
