import Foundation
import NoProofDomain

/// Word lists for the demo-data generator: surnames, given-name characters, places, companies.
/// Kept in code so generated data is identical everywhere.
enum DemoVocabulary {
    /// Common surnames, most frequent first (the generator favours the head of the list).
    static let surnames: [String] =
        Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤褚颜殷").map(String.init)
        + ["欧阳", "司马", "诸葛", "上官"]

    /// Given-name characters used mostly for men.
    static let maleGiven: [String] = Array("伟强磊军勇杰涛明超刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林欢阳建国峰亮成志东博文斌海洋德胜振兴庆利富贵永新家豪天佑子轩浩然铭泽").map(String.init)

    /// Given-name characters used mostly for women.
    static let femaleGiven: [String] = Array("芳娜敏静丽艳娟霞秀英玲桂兰萍红梅琳雪婷慧颖倩洁璐瑶怡欣悦佳雨涵诗琪梓萱晨曦思彤嘉淑珍凤云莉月春燕华丹青").map(String.init)

    /// A district or county: region code, name and some streets.
    struct District {
        let code: String
        let name: String
        let prefix: String
        let police: String
        let streets: [String]
        let roads: [String]
    }

    /// Region codes for resident IDs: six Zaozhuang districts, then four elsewhere.
    static let districts: [District] = [
        District(
            code: "370402", name: "市中区", prefix: "山东省枣庄市市中区", police: "枣庄市公安局市中分局",
            streets: ["光明路街道", "文化路街道", "龙山路街道", "中心街街道", "垎塔埠街道"],
            roads: ["光明大道", "文化东路", "建华西路", "君山中路", "青檀北路", "振兴路", "龙头路", "解放路"]),
        District(
            code: "370403", name: "薛城区", prefix: "山东省枣庄市薛城区", police: "枣庄市公安局薛城分局",
            streets: ["临城街道", "常庄街道", "新城街道", "巨山街道"],
            roads: ["泰山路", "黄河路", "长江路", "武夷山路", "燕山路", "珠江路"]),
        District(
            code: "370404", name: "峄城区", prefix: "山东省枣庄市峄城区", police: "枣庄市公安局峄城分局",
            streets: ["坛山街道", "吴林街道"],
            roads: ["承水路", "匡衡路", "榴园路", "峨山路"]),
        District(
            code: "370405", name: "台儿庄区", prefix: "山东省枣庄市台儿庄区", police: "枣庄市公安局台儿庄分局",
            streets: ["运河街道", "张山子镇", "涧头集镇"],
            roads: ["华兴路", "金光路", "文化路", "长安路"]),
        District(
            code: "370406", name: "山亭区", prefix: "山东省枣庄市山亭区", police: "枣庄市公安局山亭分局",
            streets: ["山城街道", "店子镇", "北庄镇"],
            roads: ["府前路", "翼云路", "汉诺路", "人民路"]),
        District(
            code: "370481", name: "滕州市", prefix: "山东省滕州市", police: "滕州市公安局",
            streets: ["荆河街道", "龙泉街道", "北辛街道", "善南街道", "东沙河街道"],
            roads: ["杏坛路", "学院路", "善国路", "平行路", "龙泉路", "塔寺路"]),
        District(
            code: "370102", name: "历下区", prefix: "山东省济南市历下区", police: "济南市公安局历下分局",
            streets: ["泉城路街道", "千佛山街道"], roads: ["泉城路", "经十路", "历山路"]),
        District(
            code: "370211", name: "黄岛区", prefix: "山东省青岛市黄岛区", police: "青岛市公安局黄岛分局",
            streets: ["辛安街道", "长江路街道"], roads: ["长江中路", "井冈山路", "峨眉山路"]),
        District(
            code: "320311", name: "泉山区", prefix: "江苏省徐州市泉山区", police: "徐州市公安局泉山分局",
            streets: ["湖滨街道", "王陵街道"], roads: ["中山南路", "解放南路", "湖东路"]),
        District(
            code: "371302", name: "兰山区", prefix: "山东省临沂市兰山区", police: "临沂市公安局兰山分局",
            streets: ["兰山街道", "银雀山街道"], roads: ["沂蒙路", "解放路", "通达路"]),
    ]

    /// Minority ethnicities (the generator uses 汉族 for most people).
    static let minorities = ["回族", "满族", "蒙古族", "壮族", "苗族"]
    /// Household relations other than head of household.
    static let relations = ["配偶", "子", "女", "父", "母", "孙子", "孙女"]
    /// Trade-name characters for company names.
    static let tradeNames: [String] = Array("鑫达恒泰华宇新源鲁兴金鼎瑞丰中联宏远永盛博通汇众康嘉泓信荣昌天润").map(String.init)
    /// Industries for company names.
    static let industries = ["商贸", "机械制造", "食品", "建筑工程", "物流", "科技", "餐饮管理", "农业发展", "煤业", "化工", "纺织", "医药", "新能源", "物业管理"]
    /// Individual-business shop kinds.
    static let shops = ["便利店", "小吃部", "五金店", "理发店", "水果店", "修车行", "服装店"]
    /// Business scopes keyed loosely by industry.
    static let scopes = [
        "一般项目：日用百货销售；五金产品零售", "一般项目：通用设备制造；机械设备销售", "许可项目：食品生产；食品销售",
        "许可项目：建设工程施工", "一般项目：普通货物仓储服务；国内货物运输代理", "一般项目：技术服务、技术开发、技术咨询",
        "许可项目：餐饮服务", "一般项目：谷物种植；农产品销售",
    ]
    /// Universities for degree certificates (issuer of the starter type is 枣庄学院).
    static let majors = [
        ("工学", "计算机科学与技术"), ("理学", "数学与应用数学"), ("文学", "汉语言文学"), ("管理学", "会计学"),
        ("教育学", "学前教育"), ("工学", "机械设计制造及其自动化"), ("法学", "法学"), ("艺术学", "音乐学"),
        ("经济学", "国际经济与贸易"), ("理学", "化学"),
    ]
    /// Hospitals for birth medical certificates.
    static let hospitals = ["枣庄市立医院", "枣庄市妇幼保健院", "滕州市中心人民医院", "枣庄市中医医院", "薛城区人民医院"]
    /// Driving-licence classes.
    static let licenceClasses = ["C1", "C1", "C1", "C2", "B2", "A2", "C1E", "D"]
    /// Disability categories.
    static let disabilityCategories = ["视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾"]
    /// Employers for social-insurance records.
    static let employers = [
        "枣庄矿业（集团）有限责任公司", "枣庄市立医院", "山东鲁南大数据产业有限公司", "滕州市第一中学",
        "枣庄银行股份有限公司", "灵活就业人员", "鲁南制药集团股份有限公司",
    ]
    /// Social-insurance kinds.
    static let insuranceTypes = ["企业职工基本养老保险", "职工基本医疗保险", "失业保险", "城乡居民基本养老保险", "城乡居民基本医疗保险"]
}
