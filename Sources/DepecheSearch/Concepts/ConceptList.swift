/// The synonym sets shipped with depeche (``Synonyms``): one concept per line, its
/// expressions separated by commas.
///
/// Where it comes from: written for depeche from French and francophone African news
/// usage — the acronyms of institutions, parties and treaties the wire spells both ways
/// (`ONU`, `Nations unies`), the country names written several ways (`RDC`,
/// `République démocratique du Congo`), the English words French copy translates
/// (`data center`, `centre de données`) and a few concepts named by near-synonyms
/// (`réchauffement climatique`, `changement climatique`).
///
/// Chosen with care, because every expression is searched whenever another of its line
/// is typed: an acronym that is also a common word or names several things in the news
/// is left out (`CAF` is both the African football confederation and the French family
/// allowance fund; `JO` both the Olympic Games and the Journal officiel; `Mondial` an
/// adjective), and so are parties renamed into other parties (`FN`, `RN`) and
/// expressions whose words alone are a common query (`Les Républicains`, whose key is
/// `républicains` once the ubiquitous `les` is left out).
enum ConceptList {
    static let text = """
        # Technology and media
        data center, data centre, datacenter, centre de données
        intelligence artificielle, IA
        cryptomonnaie, crypto-monnaie, monnaie virtuelle
        cyberattaque, cyber-attaque, attaque informatique
        e-mail, email, courriel
        fake news, infox
        start-up, startup, jeune pousse
        week-end, weekend
        RFI, Radio France internationale

        # Health
        Covid-19, Covid, coronavirus, SARS-CoV-2
        OMS, Organisation mondiale de la santé
        IVG, interruption volontaire de grossesse
        PMA, procréation médicalement assistée
        GPA, gestation pour autrui

        # Countries and places
        RDC, RD Congo, République démocratique du Congo, Congo-Kinshasa
        États-Unis, USA
        Royaume-Uni, Grande-Bretagne

        # International and African institutions
        ONU, Nations unies, Organisation des Nations unies
        UA, Union africaine
        UE, Union européenne
        OTAN, Organisation du traité de l'Atlantique nord
        CPI, Cour pénale internationale
        FMI, Fonds monétaire international
        BCE, Banque centrale européenne
        BAD, Banque africaine de développement
        BCEAO, Banque centrale des États de l'Afrique de l'Ouest
        Cédéao, CEDEAO, Communauté économique des États de l'Afrique de l'Ouest
        Cemac, Communauté économique et monétaire de l'Afrique centrale
        UEMOA, Union économique et monétaire ouest-africaine
        OMC, Organisation mondiale du commerce
        OCDE, Organisation de coopération et de développement économiques
        HCR, Haut-Commissariat aux réfugiés, Haut Commissariat des Nations unies pour les réfugiés
        ONG, organisation non gouvernementale
        FARDC, Forces armées de la République démocratique du Congo
        M23, Mouvement du 23 mars
        Daech, Daesh, État islamique
        CAN, Coupe d'Afrique des nations

        # Economy and society
        PIB, produit intérieur brut
        TVA, taxe sur la valeur ajoutée
        Smic, salaire minimum
        RSA, revenu de solidarité active
        PME, petites et moyennes entreprises
        FCFA, franc CFA
        SDF, sans-abri, sans domicile fixe
        chômage partiel, activité partielle
        TGV, train à grande vitesse
        voiture électrique, véhicule électrique

        # French politics and law
        PS, Parti socialiste
        LFI, La France insoumise
        CNIL, Commission nationale de l'informatique et des libertés
        réchauffement climatique, changement climatique, dérèglement climatique
        """
}
