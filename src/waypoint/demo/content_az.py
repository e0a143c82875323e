"""The demo strategic plan in Azerbaijani: the plan's texts and every element's title.

The plan is written in English (its main language, for the donors) and kept in Azerbaijani
too, the administration's working language; switching the interface to Azərbaycanca switches
the titles (plans/translations.py). Keyed by the English title, as content.py writes it.
"""

from __future__ import annotations

PLAN = {
    "title": "Strateji Plan 2012–2016",
    "vision": (
        "Qanuni ticarəti asanlaşdıran, cəmiyyəti qoruyan və beynəlxalq təhlükəsizlik sisteminin bir hissəsi olan "
        "innovativ, tam avtomatlaşdırılmış və etibarlı gömrük xidməti."
    ),
    "mission": (
        "Gömrük gəlirlərini ədalətli toplayır, təchizat zəncirinin təhlükəsizliyini qoruyaraq ticarəti "
        "asanlaşdırır, vətəndaşların sağlamlığını və təhlükəsizliyini qoruyur və gömrük hüquqpozmalarına qarşı "
        "mübarizə aparırıq; bunu əməkdaşlarla vətəndaşlar arasında mümkün qədər az təmasla edirik."
    ),
    "values": "Dürüstlük\nPeşəkarlıq\nŞəffaflıq\nTacirlərə və vətəndaşlara xidmət\nNəticələrə görə hesabatlılıq",
    "summary": (
        "2011-ci ilin noyabrında keçirilmiş strateji planlaşdırma seminarında baş idarənin departamentləri və "
        "regional baş idarələr tərəfindən aşağıdan yuxarı hazırlanmış, planlaşdırma departamenti tərəfindən "
        "birləşdirilmiş və Sədr tərəfindən təsdiq edilmişdir. 2007-ci il diaqnostikasından sonra qəbul edilmiş "
        "2007–2011-ci illər Dövlət Proqramına əsaslanır."
    ),
}

TITLES = {
    "Fast, predictable clearance that supports trade": "Ticarəti dəstəkləyən sürətli və proqnozlaşdırıla bilən rəsmiləşdirmə",
    "Cut release times at border posts, the airport and the sea port": (
        "Sərhəd buraxılış məntəqələrində, hava limanında və dəniz limanında buraxılış müddətlərini azaltmaq"
    ),
    "Time Release Study programme": "Buraxılış Müddətinin Öyrənilməsi proqramı",
    "Baseline TRS at six road posts, the airport and Alat": (
        "Altı avtomobil məntəqəsində, hava limanında və Ələtdə ilkin BMÖ"
    ),
    "Automate TRS extraction from the customs information system": (
        "BMÖ məlumatlarının gömrük informasiya sistemindən çıxarılmasını avtomatlaşdırmaq"
    ),
    "Publish yearly TRS reports and act on bottlenecks": (
        "İllik BMÖ hesabatlarını dərc etmək və darboğazlar üzrə tədbir görmək"
    ),
    "Pre-arrival processing for road freight": "Avtomobil yükləri üçün gəlişdən əvvəl emal",
    "Amend the procedure for pre-arrival lodgement": "Gəlişdən əvvəl bəyannamə təqdimetmə qaydasına dəyişiklik etmək",
    "Pilot pre-arrival lodgement at Red Bridge and Astara": (
        "Qırmızı Körpü və Astarada gəlişdən əvvəl bəyannamə təqdimetmənin sınaqdan keçirilməsi"
    ),
    "Roll out pre-arrival lodgement to all road posts": (
        "Gəlişdən əvvəl bəyannamə təqdimetməni bütün avtomobil məntəqələrinə yaymaq"
    ),
    "Extended working hours and lane management at road posts": (
        "Avtomobil məntəqələrində uzadılmış iş saatları və zolaqların idarə edilməsi"
    ),
    "Introduce 24-hour shifts at Astara and Bilasuvar": "Astara və Biləsuvarda 24 saatlıq növbələr tətbiq etmək",
    "Separate lanes for green-channel trucks at southern posts": (
        "Cənub məntəqələrində yaşıl dəhliz yük maşınları üçün ayrıca zolaqlar"
    ),
    "Target controls through risk-based selectivity": "Risk əsaslı seçicilik vasitəsilə nəzarəti hədəfləmək",
    "Automated risk engine for selectivity": "Seçicilik üçün avtomatlaşdırılmış risk mühərriki",
    "Design risk profiles and the channel rules": "Risk profillərini və dəhliz qaydalarını hazırlamaq",
    "Deploy the risk engine at all offices": "Risk mühərrikini bütün gömrük postlarında tətbiq etmək",
    "Risk profile management and feedback loop": "Risk profillərinin idarə edilməsi və əks əlaqə dövrü",
    "Record inspection results in structured form": "Yoxlama nəticələrini strukturlaşdırılmış formada qeyd etmək",
    "Quarterly profile review board": "Profillərə rüblük baxış şurası",
    "Green corridor for compliant traders": "Qanunlara əməl edən tacirlər üçün yaşıl dəhliz",
    "Set eligibility criteria with the business association": "Biznes assosiasiyası ilə uyğunluq meyarlarını müəyyən etmək",
    "Launch the green corridor at road posts": "Avtomobil məntəqələrində yaşıl dəhlizi işə salmaq",
    "Simplify procedures in line with the Revised Kyoto Convention": (
        "Prosedurları Yenidən İşlənmiş Kioto Konvensiyasına uyğun sadələşdirmək"
    ),
    "Single window for border agencies": "Sərhəd qurumları üçün tək pəncərə",
    "Connect veterinary and phytosanitary services": "Baytarlıq və fitosanitar xidmətlərini qoşmaq",
    "Connect standards and transport inspectorates": "Standartlaşdırma və nəqliyyat müfəttişliklərini qoşmaq",
    "Align customs legislation with the RKC General Annex": (
        "Gömrük qanunvericiliyini YİKK-nin Ümumi Əlavəsinə uyğunlaşdırmaq"
    ),
    "RKC gap analysis with WCO experts": "ÜGT ekspertləri ilə YİKK üzrə uyğunsuzluq təhlili",
    "Draft and consult amendments": "Dəyişikliklərin layihəsini hazırlamaq və müzakirəyə çıxarmaq",
    "Reduce documents required at import and export": "İdxal və ixracda tələb olunan sənədləri azaltmaq",
    "Inventory of documents and their legal basis": "Sənədlərin və onların hüquqi əsasının inventarlaşdırılması",
    "Withdraw redundant documents by regulation": "Artıq sənədləri normativ aktla ləğv etmək",
    "Launch an Authorised Economic Operator programme": "Səlahiyyətli İqtisadi Operator proqramını başlatmaq",
    "AEO legal basis and certification procedure": "SİO-nun hüquqi əsası və sertifikatlaşdırma qaydası",
    "Adopt the AEO regulation": "SİO əsasnaməsini qəbul etmək",
    "Train the certification team": "Sertifikatlaşdırma qrupunu təlimləndirmək",
    "Certify the first AEOs": "İlk SİO-ları sertifikatlaşdırmaq",
    "Outreach to large importers and exporters": "İri idxalçı və ixracatçılarla maarifləndirmə işi",
    "Audit and certify applicants": "Müraciət edənləri audit etmək və sertifikatlaşdırmaq",
    "Fair, efficient and effective revenue collection": "Ədalətli, səmərəli və effektiv gəlir toplanması",
    "Strengthen valuation control and post-clearance audit": (
        "Gömrük dəyərinə nəzarəti və buraxılışdan sonrakı auditi gücləndirmək"
    ),
    "Post-clearance audit capacity": "Buraxılışdan sonrakı audit potensialı",
    "Recruit and train 40 auditors": "40 auditoru işə götürmək və təlimləndirmək",
    "Risk-based audit selection from declaration data": "Bəyannamə məlumatları əsasında risk əsaslı audit seçimi",
    "Valuation database and price risk indicators": "Gömrük dəyəri məlumat bazası və qiymət risk göstəriciləri",
    "Build the valuation database": "Gömrük dəyəri məlumat bazasını yaratmaq",
    "Train valuation officers in the WTO Valuation Agreement": (
        "Gömrük dəyəri üzrə əməkdaşları ÜTT-nin Gömrük Dəyəri Sazişi üzrə təlimləndirmək"
    ),
    "Valuation appeals and rulings": "Gömrük dəyəri üzrə şikayətlər və qərarlar",
    "Publish anonymised valuation decisions": "Anonimləşdirilmiş gömrük dəyəri qərarlarını dərc etmək",
    "Joint appeals committee with the business association": "Biznes assosiasiyası ilə birgə şikayət komitəsi",
    "Increase voluntary compliance and electronic payment": "Könüllü qanunauyğunluğu və elektron ödənişi artırmaq",
    "Electronic payment of duties and taxes": "Rüsum və vergilərin elektron ödənişi",
    "Agreements with commercial banks": "Kommersiya bankları ilə sazişlər",
    "Payment interface with the treasury": "Xəzinədarlıqla ödəniş interfeysi",
    "E-payment terminals at border posts": "Sərhəd məntəqələrində elektron ödəniş terminalları",
    "Trader information and help desk": "Tacirlər üçün məlumat və yardım xidməti",
    "Open the customs call centre": "Gömrük çağrı mərkəzini açmaq",
    "Publish step-by-step guides for each regime": "Hər bir rejim üzrə addım-addım təlimatları dərc etmək",
    "Strengthen tariff classification and origin control": "Tarif təsnifatını və mənşə nəzarətini gücləndirmək",
    "Binding tariff information": "Məcburi tarif məlumatı",
    "Adopt the binding ruling procedure": "Məcburi qərar qaydasını qəbul etmək",
    "Issue and publish rulings": "Qərarları vermək və dərc etmək",
    "Customs laboratory for classification": "Təsnifat üçün gömrük laboratoriyası",
    "Equip the customs laboratory": "Gömrük laboratoriyasını təchiz etmək",
    "Accredit laboratory methods": "Laboratoriya metodlarını akkreditasiyadan keçirmək",
    "Protect society and secure the supply chain": "Cəmiyyəti qorumaq və təchizat zəncirini təhlükəsiz etmək",
    "Intelligence-led enforcement against smuggling": "Qaçaqmalçılığa qarşı kəşfiyyata əsaslanan mübarizə",
    "Customs intelligence unit": "Gömrük kəşfiyyatı bölməsi",
    "Set up the intelligence unit and its analysts": "Kəşfiyyat bölməsini və onun analitiklərini yaratmaq",
    "Seizure database shared with the regions": "Regionlarla paylaşılan müsadirə məlumat bazası",
    "Detector dog and mobile team capacity": "Xidməti itlər və mobil qruplar potensialı",
    "Train 20 dog handlers": "20 kinoloqu təlimləndirmək",
    "Equip four mobile teams": "Dörd mobil qrupu təchiz etmək",
    "Excise goods tracking": "Aksizli malların izlənməsi",
    "Feasibility study for excise tracking": "Aksizli malların izlənməsi üzrə texniki-iqtisadi əsaslandırma",
    "Pilot tracking on the northern transit route": "Şimal tranzit marşrutunda izləməni sınaqdan keçirmək",
    "Secure the international supply chain": "Beynəlxalq təchizat zəncirinin təhlükəsizliyini təmin etmək",
    "Advance cargo information": "Yük haqqında qabaqcadan məlumat",
    "Advance information requirement for road carriers": "Avtomobil daşıyıcıları üçün qabaqcadan məlumat tələbi",
    "Advance information for air and sea cargo": "Hava və dəniz yükləri üçün qabaqcadan məlumat",
    "Non-intrusive inspection equipment": "Müdaxiləsiz yoxlama avadanlığı",
    "Scanners at Red Bridge, Astara and Samur": "Qırmızı Körpü, Astara və Samurda skanerlər",
    "Container scanner at Alat sea port": "Ələt dəniz limanında konteyner skaneri",
    "Image analysis centre linking all scanners": "Bütün skanerləri birləşdirən təsvir təhlili mərkəzi",
    "Coordinated border management with agencies and neighbours": (
        "Qurumlar və qonşularla əlaqələndirilmiş sərhəd idarəçiliyi"
    ),
    "Joint controls with Georgia at Red Bridge": "Qırmızı Körpüdə Gürcüstanla birgə nəzarət",
    "Bilateral agreement on joint controls": "Birgə nəzarət haqqında ikitərəfli saziş",
    "Joint control facility at Red Bridge": "Qırmızı Körpüdə birgə nəzarət obyekti",
    "Border agency coordination committee": "Sərhəd qurumlarının əlaqələndirmə komitəsi",
    "Terms of reference and first meetings": "Texniki tapşırıq və ilk iclaslar",
    "Common inspection schedule at road posts": "Avtomobil məntəqələrində ümumi yoxlama cədvəli",
    "A professional, knowledge-based and ethical workforce": "Peşəkar, biliyə əsaslanan və etik kadr heyəti",
    "Competency-based human resource management": "Səriştəyə əsaslanan insan resurslarının idarə edilməsi",
    "Job profiles based on the WCO PICARD standards": "ÜGT PICARD standartlarına əsaslanan vəzifə profilləri",
    "Competency framework drafted with the Academy": "Akademiya ilə birlikdə hazırlanmış səriştə çərçivəsi",
    "Profiles written and approved for all posts": "Bütün vəzifələr üçün profillərin yazılması və təsdiqi",
    "Merit-based recruitment and promotion": "Ləyaqətə əsaslanan işə qəbul və vəzifə irəliləyişi",
    "Competitive examinations for new recruits": "Yeni işçilər üçün müsabiqə imtahanları",
    "Performance appraisal linked to profiles": "Profillərlə əlaqələndirilmiş fəaliyyətin qiymətləndirilməsi",
    "Build the training capacity of the Customs Academy": "Gömrük Akademiyasının təlim potensialını gücləndirmək",
    "Academy curriculum and trainers": "Akademiyanın tədris proqramı və təlimçiləri",
    "Train-the-trainer programme": "Təlimçilərin təlimi proqramı",
    "Curriculum for risk management and audit": "Risklərin idarə edilməsi və audit üzrə tədris proqramı",
    "E-learning platform": "Elektron təlim platforması",
    "Install the e-learning platform": "Elektron təlim platformasını quraşdırmaq",
    "Produce 20 e-learning courses": "20 elektron təlim kursu hazırlamaq",
    "Leadership development for managers": "Rəhbərlər üçün liderlik inkişafı",
    "Design the leadership programme": "Liderlik proqramını hazırlamaq",
    "Run two cohorts": "İki qrupu təlimdən keçirmək",
    "Strengthen integrity and professional ethics": "Dürüstlüyü və peşə etikasını gücləndirmək",
    "Code of conduct and asset declarations": "Davranış kodeksi və əmlak bəyannamələri",
    "Adopt and publish the code of conduct": "Davranış kodeksini qəbul etmək və dərc etmək",
    "Yearly asset declarations for all officers": "Bütün əməkdaşlar üçün illik əmlak bəyannamələri",
    "Integrity risk mapping and internal audit": "Dürüstlük risklərinin xəritələşdirilməsi və daxili audit",
    "Integrity risk map with the WCO Integrity Development Guide": (
        "ÜGT-nin Dürüstlüyün İnkişafı Təlimatı əsasında dürüstlük riskləri xəritəsi"
    ),
    "Rotation of officers at border posts": "Sərhəd məntəqələrində əməkdaşların rotasiyası",
    "A fully automated, data-driven customs service": "Tam avtomatlaşdırılmış, məlumatlara əsaslanan gömrük xidməti",
    "Complete the automated customs information system": "Avtomatlaşdırılmış gömrük informasiya sistemini tamamlamaq",
    "Electronic declaration for all regimes": "Bütün rejimlər üçün elektron bəyannamə",
    "E-declaration for transit and warehousing": "Tranzit və anbar saxlanması üçün elektron bəyannamə",
    "E-declaration for inward and outward processing": "Daxildə və xaricdə emal üçün elektron bəyannamə",
    "Data centre and disaster recovery": "Məlumat mərkəzi və fəlakətdən sonra bərpa",
    "Build the backup data centre": "Ehtiyat məlumat mərkəzini qurmaq",
    "Disaster recovery tests twice a year": "İldə iki dəfə fəlakətdən sonra bərpa sınaqları",
    "Measure performance with data": "Fəaliyyəti məlumatlarla ölçmək",
    "Performance measurement framework": "Fəaliyyətin ölçülməsi çərçivəsi",
    "Indicator reference sheets and baselines": "Göstərici pasportları və ilkin göstəricilər",
    "Quarterly performance review with management": "Rəhbərliklə rüblük fəaliyyət icmalı",
    "Management information system": "İdarəetmə informasiya sistemi",
    "Data warehouse fed nightly from the customs system": ("Gömrük sistemindən hər gecə doldurulan məlumat anbarı"),
    "Management dashboards for the Chairman and regions": "Sədr və regionlar üçün idarəetmə panelləri",
    "Modernise border infrastructure": "Sərhəd infrastrukturunu müasirləşdirmək",
    "New terminal at Red Bridge": "Qırmızı Körpüdə yeni terminal",
    "Design and land acquisition": "Layihələndirmə və torpağın alınması",
    "Construction": "Tikinti",
    "Upgrade of southern and northern posts": "Cənub və şimal məntəqələrinin yenilənməsi",
    "Two additional lanes at Astara": "Astarada iki əlavə zolaq",
    "New bridge lanes at Samur": "Samurda yeni körpü zolaqları",
    "Exchange data electronically with neighbouring administrations": (
        "Qonşu gömrük administrasiyaları ilə elektron məlumat mübadiləsi"
    ),
    "Electronic exchange of export data": "İxrac məlumatlarının elektron mübadiləsi",
    "Exchange with Georgia": "Gürcüstanla mübadilə",
    "Exchange with Russia and Uzbekistan": "Rusiya və Özbəkistanla mübadilə",
    "Exchange with Ukraine and Moldova": "Ukrayna və Moldova ilə mübadilə",
    "Electronic transit with the Caspian corridor partners": "Xəzər dəhlizi tərəfdaşları ilə elektron tranzit",
    "Transit data model agreed with partners": "Tərəfdaşlarla razılaşdırılmış tranzit məlumat modeli",
    "Electronic transit at Alat and Beyuk Kasik": "Ələt və Böyük Kəsikdə elektron tranzit",
}
