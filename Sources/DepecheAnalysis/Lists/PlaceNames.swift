/// Place names of the news in French: one word per line, folded (lower case, no
/// accents), optionally followed by `:` and the folded singular forms a query for it
/// also matches (the demonyms: `mali: malien malienne`).
///
/// Where it comes from: written for depeche from general knowledge of French usage —
/// the French names of the world's states (as the Quai d'Orsay writes them), their
/// capitals, the regions and prefectures of France and the main cities of France, of
/// francophone Africa (Senegal, DRC, Congo, Côte d'Ivoire, Cameroon, Mali, Burkina
/// Faso, Niger, Chad, Gabon, Guinea, Benin, Togo, Madagascar, the Maghreb) and of the
/// world's news. Only the words that make a name on their own are listed (`faso`, not
/// `burkina faso`); words that are mostly common French words and rarely a place
/// (`orange`, `nice` are kept: the capital decides in documents) were weighed one by one.
///
/// A word of this list is a name: a query for it matches the name and its variants,
/// never a stem (`France` never finds *francs*, `Tours` never *tours* the towers), and a
/// document writing it with a capital indexes it as written (``NameFilter``).
enum PlaceNames {
    static let list = """
        afghanistan: afghan afghane
        afrique: africain africaine
        albanie: albanais albanaise
        alger: algerois algeroise
        algerie: algerien algerienne
        allemagne: allemand allemande
        amiens
        amsterdam
        andorre
        angers
        angola: angolais angolaise
        ankara
        annecy
        antananarivo
        anvers
        arabie
        argentine: argentin
        arles
        armenie: armenien armenienne
        arras
        athenes
        auch
        australie: australien australienne
        autriche: autrichien autrichienne
        auxerre
        avignon
        bagdad
        bahrein
        bamako
        bangkok
        bangladesh
        bangui
        barcelone
        bastia
        bayonne
        beijing
        beyrouth
        belfort
        belgique: belge
        belgrade
        benin: beninois beninoise
        berlin
        berne
        besancon
        beziers
        bielorussie
        birmanie
        bissau
        bobigny
        bolivie
        bordeaux
        bosnie
        botswana
        bouake
        boulogne
        bourges
        brazzaville
        bresil: bresilien bresilienne
        brest
        bretagne: breton bretonne
        bruxelles
        bucarest
        budapest
        bujumbura
        bulgarie
        burkina
        burundi: burundais burundaise
        caen
        cahors
        caire
        calais
        cambodge
        cameroun: camerounais camerounaise
        canada: canadien canadienne
        cannes
        carcassonne
        casablanca
        cayenne
        chambery
        charleroi
        chartres
        chili: chilien chilienne
        chine: chinois chinoise
        chypre
        clermont
        colmar
        colombie: colombien colombienne
        comores: comorien comorienne
        conakry
        congo: congolais congolaise
        copenhague
        coree: coreen coreenne
        corse
        cotonou
        creteil
        croatie
        cuba: cubain cubaine
        dakar: dakarois dakaroise
        damas
        danemark: danois danoise
        dijon
        djibouti
        doha
        douai
        douala
        dubai
        dublin
        dunkerque
        egypte: egyptien egyptienne
        erythree
        espagne: espagnol espagnole
        estonie
        eswatini
        ethiopie: ethiopien ethiopienne
        evry
        faso
        finlande
        florence
        france: francais francaise
        francfort
        gabon: gabonais gabonaise
        gambie
        gao
        gaza
        geneve
        georgie
        ghana
        gibraltar
        gironde
        goma
        grasse
        grece: grec grecque
        grenoble
        guadeloupe
        guatemala
        guinee: guineen guineenne
        guyane
        haiti: haitien haitienne
        hambourg
        hanoi
        havane
        helsinki
        hongrie: hongrois hongroise
        inde: indien indienne
        indonesie
        irak: irakien irakienne
        iran: iranien iranienne
        irlande
        islande
        israel: israelien israelienne
        istanbul
        italie: italien italienne
        ivoire: ivoirien ivoirienne
        jakarta
        jamaique
        japon: japonais japonaise
        jerusalem
        jordanie
        kaboul
        kaolack
        kazakhstan
        kenya: kenyan kenyane
        khartoum
        kiev
        kigali
        kinshasa: kinois kinoise
        kisangani
        kosovo
        koweit
        kyiv
        lagos
        laos
        laval
        lens
        lettonie
        liban: libanais libanaise
        liberia
        libreville
        libye: libyen libyenne
        liege
        lille
        lima
        limoges
        lisbonne
        lituanie
        lome
        londres
        lorient
        lorraine
        lubumbashi
        luxembourg
        lyon: lyonnais lyonnaise
        macon
        madagascar: malgache
        madrid
        malabo
        malaisie
        mali: malien malienne
        malte
        manille
        maroc: marocain marocaine
        marseille: marseillais marseillaise
        martinique
        matadi
        maubeuge
        maurice
        mauritanie: mauritanien mauritanienne
        mayotte
        meaux
        mexique: mexicain mexicaine
        milan
        moldavie
        monaco
        mongolie
        montauban
        montenegro
        montpellier
        montreal
        moroni
        moscou
        mozambique
        mulhouse
        munich
        namibie
        nancy
        nantes
        naples
        ndjamena
        nepal
        nevers
        niamey
        nice
        nicaragua
        niger: nigerien nigerienne
        nigeria: nigerian nigeriane
        nimes
        niort
        normandie
        norvege
        nouakchott
        oman
        orleans
        oslo
        ottawa
        ouagadougou
        ouganda
        ouzbekistan
        pakistan: pakistanais pakistanaise
        palestine: palestinien palestinienne
        panama
        paraguay
        paris: parisien parisienne
        pau
        perigueux
        perou
        perpignan
        philippines
        pikine
        poitiers
        pologne: polonais polonaise
        portugal: portugais portugaise
        prague
        pretoria
        provence
        qatar
        quebec: quebecois quebecoise
        quimper
        rabat
        reims
        rennes
        riga
        roanne
        rodez
        rome
        rouen
        roumanie: roumain roumaine
        rufisque
        russie: russe
        rwanda: rwandais rwandaise
        saintes
        sahel
        salvador
        sarajevo
        sardaigne
        senegal: senegalais senegalaise
        serbie
        seoul
        sicile
        singapour
        slovaquie
        slovenie
        somalie
        sotchi
        soudan: soudanais soudanaise
        strasbourg
        stockholm
        suede: suedois suedoise
        suisse
        surinam
        syrie: syrien syrienne
        tahiti
        taiwan
        tanger
        tanzanie
        tarbes
        tchad: tchadien tchadienne
        tchequie
        teheran
        thailande
        thies
        tokyo
        togo: togolais togolaise
        toulon
        toulouse
        tours
        tripoli
        troyes
        tunis
        tunisie: tunisien tunisienne
        turquie: turc turque
        ukraine: ukrainien ukrainienne
        uruguay
        vannes
        varsovie
        vatican
        venezuela
        venise
        versailles
        vichy
        vienne
        vietnam
        vilnius
        washington
        yaounde
        yemen
        ziguinchor
        zimbabwe
        zurich
        """
}
