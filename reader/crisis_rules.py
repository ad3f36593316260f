"""The built-in crisis words: always on, whatever crisis.txt says. No Qt.

Written from published screening and warning-sign wording (PHQ-9 item 9, the Columbia
C-SSRS screener, the 988 Lifeline's and Samaritans' warning signs, and their Spanish
versions), as patterns rather than a list, so that wording nobody wrote down is caught too.

Each pattern is a regular expression over the *canonical* words of what was typed
(reader.crisis.canonical_words): lowercase, accents folded, apostrophes joined and
contractions spelt out ("don't wanna" is "do not want to"), typos of crisis words mended,
joined words split ("killmyself"), and "|" where a sentence ends. `{NAME}` stands for one
of the word groups below. A pattern matches whole words only.

VETOES are ordinary phrases that hold a crisis pattern's words ("take my life back",
"40 kms"); a match that lies wholly inside one does not count.
"""

from __future__ import annotations

_EN_GROUPS = {
    "SELF": "myself|yourself|himself|herself|themselves|themself|ourselves|oneself",
    "HARM": "kill|kills|killing|killed|hurt|hurts|hurting|harm|harms|harming|harmed|cut|cuts"
            "|cutting|hang|hangs|hanging|hanged|shoot|shooting|stab|stabbing|drown|drowning"
            "|poison|poisoning|poisoned|starve|starving|suffocate|suffocating|strangle"
            "|strangling|unalive|unaliving|overdose|overdosing|injure|injuring|punish"
            "|punishing|mutilate|mutilating|end|ending|burn|burning|electrocute",
    # wanting, planning or being about to: before an act
    "INTENT": "want|wanted|wants|wanting|wish|wished|wishing|plan|plans|planned|planning"
              "|going|ready|prepared|trying|tried|try|decided|deciding|decide|intend|intending"
              "|intended|mean|desire|need|needs|deserve|deserves|about|hoping|hope|longing"
              "|long|urge|urges|thinking about|thought about|thinking of|thought of"
              "|think about|thoughts of|thoughts about|considering|consider|considered"
              "|contemplating|contemplate|would like|would rather|rather|tempted|feel like"
              "|felt like|how|how do i|how can i|how could i|how should i|how would i"
              "|way|ways|best way|easiest way|quickest way|painless way|method|methods"
              "|am going|attempt|attempted|attempting|a plan",
    # only wanting (not "going to die", which is fear, not intent)
    "WANT": "want|wanted|wants|wanting|wish|wished|wishing|ready|deserve|deserves|plan"
            "|planning|decided|hope|hoping|long|longing|yearn|yearning|prefer|rather"
            "|would rather|would like|need|needs|pray|praying|should|just want|ought|must"
            "|desire|feel like|felt like|like",
    "ACT": "kill {SELF}|end (?:my|my own) life|end it all|end it(?= *\\||$| tonight| today"
           "| now| for good| forever)|end everything(?= *\\||$)"
           "|take (?:my|my own) life|commit suicide|suicide|overdose{OD}|overdosing{OD}|od"
           "|take an overdose|take too many (?:pills|tablets)"
           "|ending it all|ending it(?= *\\||$| tonight| today| now)|ending my life"
           "|(?:end|ending) things(?= *\\||$| soon| tonight| today| now| for good| forever)"
           "|taking my (?:own )?life|killing {SELF}"
           "|(?:take|swallow) (?:all|every|every one|the whole bottle|a bottle|a handful) (?:of )?"
           "(?:my |the |these |those |of my |of the )?{PILLS}"
           "|(?:jump|leap) (?:off|from|in front of) (?:a |the |my |that |this )?{PLACE}"
           "|hang {SELF}|shoot {SELF}|throw {SELF} (?:off|in front of|under|from)"
           "|slit my (?:wrists|wrist|throat)|cut my (?:wrists|wrist)|off {SELF}"
           "|unalive(?: {SELF})?|stop (?:living|existing|breathing)|give up on life"
           "|drown {SELF}|poison {SELF}|hurt {SELF}|harm {SELF}|cut {SELF}",
    "DIE": "die|be dead|(?:disappear|vanish)(?= *\\||$| forever| for good| from this world)"
           "|not (?:wake up|exist|be alive|be here)"
           "|never wake up|sleep forever|go to sleep forever|stop existing|cease to exist"
           "|not be around|not live|be gone",
    "PLACE": "bridge|building|roof|rooftop|balcony|cliff|window|train|bus|truck|traffic|tracks"
             "|car|tower|overpass|river|sea|ledge|subway|highway|parking garage",
    "PILLS": "pills|pill|meds|tablets|medication|medications|medicine|medicines|sleeping pills"
             "|painkillers|pain pills|antidepressants|ketamine|opioids|insulin",
    "OD": "(?! risk| risks| danger| dangers| symptoms| signs| rate| rates| prevention| deaths"
          "| death| amount| levels?| treatment| threshold| limit| reversal| on ketamine by)",
    "PEOPLE": "everyone|everybody|my family|my husband|my wife|my kids|my children|my parents"
              "|my partner|my mom|my dad|my mother|my father|them|others|other people|people"
              "|you|you all|all|the world|those i love|my loved ones|my friends|society|anyone",
    "LIVE": "live|living|go on|going on|keep going|carry on|carrying on|be alive|being alive"
            "|stay alive|staying alive|wake up|waking up|exist|existing|keep living|get up"
            "|be here|being here|continue living|live anymore|try anymore|trying anymore"
            "|life|this life|anything anymore",
    "NOTWANT": "want|wish|care|feel like|see the point|see a point|see any point|see a reason"
               "|see any reason|see why i should|know how to|have the will|have the strength"
               "|have the energy|deserve|think i can|want to be able|like",
    "STAY": "live(?! without| with| in| near| on| at| far| alone| there| abroad| together)"
            "|be alive|exist|wake up(?! early| at| for| in| late| so| too| before| on"
            "| with| and go| to go)|keep living|continue living|stay alive|be around"
            "|be in this world|be on this earth|see tomorrow|live anymore|live any more|living"
            "|going on|being alive|existing|carrying on"
            "|carry on|go on(?! (?:a|the|to|with|vacation|holiday|trip|it|this|that|meds"
            "|medication|ketamine|treatment|antidepressants|and on))"
            "|keep going(?! to| back| with| there)"
            "|be here(?= *\\||$| anymore| any more| any longer| on this earth| in this world"
            "| tomorrow| now| without)",
    "NOTAIMS": "pointless|meaningless|worthless|hopeless|not worth it|not worth living"
               "|not worth anything|no longer worth living|unbearable|over|a waste",
}

_EN_PATTERNS = [
    # direct words
    r"suicide|suicides|suicidal|suicidality|suicidally|kms|kys|unalive|unaliving|selfharm"
    r"|self harm|self harming|self harmed|self harms|self injury|self injure|self injuring"
    r"|self injurious|self mutilation|self mutilate|self destruct|self destruction",
    # harming oneself: "kill myself", "hurting myself", "hang myself"
    r"{HARM} (?:myself|ourselves|my self)"
    r"|(?:kill|kills|killing|hang|hanging|shoot|shooting|unalive|unaliving|off) {SELF}",
    # wanting or planning an act: "i want to overdose", "thinking of overdosing"
    r"(?<!not )(?<!never )(?<!no )(?:{INTENT}) (?:to |of |about |on |for )?(?:just |really "
    r"|finally |simply |actually |seriously |quietly |go |i )?(?:{ACT})",
    r"(?<!not )(?<!never )(?<!no )(?:{WANT}) (?:to |i could |i would |that i would |i could "
    r"just |i would just |i were |i was )?(?:just |really |simply |finally )?(?:{DIE})",
    r"(?:way|ways|method|methods|how|best way|easiest way|quickest way|painless way) to "
    r"(?:die|be dead|not wake up|never wake up|stop existing)",
    r"(?<!not )(?<!never )(?:should|need to|must|ought to|deserve to|ready to|want to|have to)"
    r" (?:just )?die",
    r"(?:better|rather) (?:off |of )?(?:be )?dead|better off (?:if i (?:was|were|am|died|was not"
    r" here|were not here|was not around|were not around|did not exist|never existed"
    r"|disappeared|was gone|were gone)|without me|gone)|better without me",
    r"(?:ending|take|taking|took|ended|end|ends) (?:my|my own) life",
    r"(?:end|ending|ended) (?:it all|everything|it tonight|it today|it now|my suffering|the "
    r"suffering|things soon|things tonight|things today|things now|things for good|"
    r"suffering|it for good|my existence)",
    # not wanting to live: "dont want to live", "dont wanna be here anymore"
    r"(?:not|never|no longer|no more)(?: really| even| just| actually| truly)? (?:{NOTWANT}) "
    r"(?:to |of |in |i )?(?:{STAY})",
    r"(?:can not|could not|unable to|cannot) (?:{STAY}|take it (?:any ?more|any longer)|take "
    r"this (?:any ?more|any longer)|do this (?:any ?more|any longer)|live like this|live with "
    r"(?:this|myself)|cope (?:any ?more|any longer)|keep living|handle life|handle living)",
    # no reason to live, nothing to live for
    r"no (?:reason|reasons|point|purpose|will|desire|wish|use|sense|hope) (?:for (?:me|anyone"
    r"|us|someone like me) )?(?:to |in |of |for |left to |left in )(?:even |ever "
    r"|keep )?(?:{LIVE})",
    r"(?:lost|losing|lose|have no|without) (?:the |my |all |any )?(?:will|desire|reason|wish|"
    r"reasons|wanting) to (?:live|go on|keep going|be alive|stay alive)",
    r"nothing (?:left )?to live for|no one to live for|nobody to live for|not worth living"
    r"|nothing left for me|no future for me|no way out(?= *\||$| for me)",
    r"(?:life|living|existing|existence|my life|it all|being alive) (?:is|seems|feels|has "
    r"become|became|is just|is so|is no longer|has no)(?: just| so| completely| totally| "
    r"really| truly)? (?:{NOTAIMS}|meaning|point|purpose|not worth)",
    r"(?:what is|whats) the (?:point|use) (?:of |in )?(?:{LIVE}|it all|trying|anything "
    r"anymore|anymore|any more|of it all|living anymore|going on anymore)",
    r"why (?:should i|do i|would i|even|bother|keep|do i even|go on|am i still) (?:even )?"
    r"(?:live|living|go on|going on|keep going|keep living|stay alive|staying alive|wake up"
    r"|exist|be alive|try anymore|alive|here)(?= *\||$| anymore| any more| at all)",
    r"(?:tired|sick|exhausted) (?:of|with) (?:living|life|being alive|existing|it all"
    r"|everything|this life|my life|being here|waking up|trying)(?= *\||$| anymore| any more)"
    r"|(?:had|have had|i have had) enough of (?:living|life|being alive|existing|it all|this life"
    r"|my life|everything)(?= *\||$)"
    r"|(?:done|finished) with (?:living|life|being alive|existing|it all|this life|my life)"
    r"(?= *\||$| anymore| any more)",
    r"hate (?:being alive|existing|myself|my life(?! insurance)|living(?! in| with| near| so)"
    r"|my existence|waking up)",
    # a burden, not missed
    r"(?:a|such a|the|just a|only a|nothing but a|big|huge|constant) (?:burden|nuisance|waste"
    r" of space) (?:to|on|for) "
    r"(?:{PEOPLE})",
    r"(?:i am|i feel|i feel like|i feel like i am|i have become|am just|i become|i am just)"
    r"(?: such| just| only| nothing but| always)? (?:a|like a) burden",
    r"(?:{PEOPLE}|they|it|life|things) (?:would|will|might|could)(?: all)?(?: really)? be "
    r"(?:better|happier|easier|fine)(?: off)?(?: without me| if i (?:just |simply )?(?:was|were"
    r"|am|died|die"
    r"|disappeared|left|was gone|were gone|was dead|were dead|did not exist|was not here"
    r"|were not here|was not around))",
    r"(?:nobody|no one|noone|none of them|nobody else)(?: would| will| is going to| is gonna"
    r"| even| really| ever)?(?: even| really)? (?:miss|notice|care|cares|mourn|remember)"
    r"(?: me| if i| when i| that i am gone)",
    r"wish(?:ing|ed)? i (?:was|were|had been|could be|would be) (?:dead|never born|not born"
    r"|gone|not "
    r"alive|not here|not around)|wish i (?:had|was|were) never (?:been born|born|existed)"
    r"|wish i did not exist|never been born",
    r"(?:wish|want|hope|pray|praying|hoping|wishing) (?:i|to|that i) (?:could |would |will "
    r")?(?:just )?(?:never|not) (?:wake up|exist|be born|have been born)",
    r"(?:sleep|go to sleep|fall asleep) and (?:never|not) wake up|never wake up again"
    r"|not wake up (?:tomorrow|again|ever)",
    r"wish (?:it|everything|it all|my life|this life|i) (?:would|could|will) (?:just )?"
    r"(?:end|be over|stop|die|disappear)(?= *\||$| forever| for good| already| now)",
    r"want (?:it all|everything|all of this|all of it|my life|this life|it) to (?:end|be over"
    r"|stop)(?= *\||$| now| forever| for good| already| tonight)",
    r"(?:wish|wishing|want|wanting|long|longing|pray|praying|hope|hoping|wait|waiting|ready|"
    r"welcome|welcoming) (?:for )?death(?! of| rates| from| in| risk| by)",
    r"feel like (?:dying|ending it|ending my life|killing myself|disappearing forever)",
    # wanting death a few words on: "i keep wishing that one day i was just dead"
    r"(?<!not )(?<!never )(?:want|wanted|wants|wish|wishing|wished|long|longing|pray|praying"
    r"|hope|hoping|ready|yearn|yearning) (?!(?:\w+ )*?(?:know|ask|understand|learn|find|see"
    r"|check|hear|read|tell|avoid|make sure|sure|prevent|stop|pain|depression|symptoms"
    r"|feeling|feelings|anxiety|cells|neurons|battery|phone|plant|dog|cat|it|this)\b)"
    r"(?:\w+ ){0,4}?(?:i|me|to|myself) (?:\w+ ){0,3}?(?:dead|die|kill myself|end my life"
    r"|be gone forever|stop existing)(?! from"
    r"| of| during| if| in| on| because of| while| laughing| down| out| off| away| for)",
    r"sewer ?slide|sewerslide|unalived|toaster bath",
    r"(?:scared|afraid|worried|frightened|terrified) (?:of )?what i (?:might|could|will|would|am "
    r"going to) do to myself|(?:do|doing|did) something to myself",
    r"(?:want|ready|going|wish|plan|time) to leave this world|leave this world (?:behind|forever)",
    r"better off (?:not (?:existing|being here|being alive|alive|here|around|being born|born)"
    r"|never (?:having been born|born|existing))",
    r"(?:give|giving|gave|given) up on (?:life|living|being alive)|(?:give|giving|gave) up on"
    r" (?:everything|it all) and (?:dying|die|ending it|ending my life)",
    # plans and means
    r"(?:thinking|think|thought|thoughts) (?:about|of) (?:death|dying)(?= *\||$| all the time"
    r"| a lot| constantly| every day| lately| again| so much| more and more)",
    r"(?:took|taken|take|taking|took another) an overdose|i (?:overdosed|oded)(?! by accident"
    r"| accidentally| on accident)",
    r"(?:want|wish|need|looking for a way) (?:out of|to get out of|to leave|to escape) (?:this "
    r"life|life|this world|it all|existence)",
    r"better off (?:once |when |after |if |now that )?i (?:am |was |were |would be |will be "
    r"|have )?(?:gone|dead|not here|not around|no longer here|left this world)",
    r"(?:stockpiling|stockpile|stockpiled|saving up|saved up|hoarding|hoarded|collecting"
    r"|collected|gathering|storing|saving) (?:up )?(?:my |all my |the |some |enough |all the )"
    r"?(?:{PILLS})",
    r"(?:took|swallowed|downed) (?:all|every one|the whole bottle|a whole bottle|a bottle"
    r"|a handful|handfuls|a bunch|too many) (?:of )?(?:my |the |these |those |of my )?"
    r"(?:{PILLS})",
    r"(?:overdose|overdosed|overdosing|od|oded) (?:on purpose|intentionally|deliberately"
    r"|to die|and die|to end it|to end my life|so i die|so i can die|tonight)"
    r"|(?:intentional|deliberate|purposeful|purposely|intentionally|deliberately) (?:overdose"
    r"|overdosing|od)",
    r"(?:lethal|fatal|deadly|killing) (?:dose|amount|dosage|overdose)",
    r"how (?:much|many) (?:\w+ ){0,7}(?:to|would|will|does it take to|it takes to|until i|"
    r"before i|can) (?:die|kill me|kill myself|overdose|od|be fatal|be lethal|end it|end my "
    r"life|not wake up)",
    r"(?:jump|jumping|jumped|leap|leaping|throw myself|step|stepping|walk|walking|lie down)"
    r" (?:off|from|in front of|into|under|onto|on) (?:a |the |my |that |this )?(?:bridge"
    r"|building|roof|rooftop|balcony|cliff|window|train|bus|truck|traffic|tracks|car|tower"
    r"|overpass|river|sea|ledge|subway)",
    r"(?:drive|crash|drove|crashed|driving|crashing) (?:my car )?(?:into|off) (?:a |the )?"
    r"(?:tree|wall|cliff"
    r"|traffic|bridge|river|truck)|crash my car on purpose",
    r"(?:buy|bought|get|got|tie|tied|make|made|have|found) (?:a |the )?(?:rope|noose)|noose"
    r"|gun to my head|put a gun|bullet (?:in|through) my (?:head|brain)|blow my brains out"
    r"|(?:slit|slitting|cut|cutting|slash|slashing) my (?:wrists|wrist|throat|veins)",
    r"(?:have|got|getting|get) (?:the |my |all my |all the )?(?:{PILLS}|rope|gun|noose) ready"
    r"(?= *\||$)|might as well (?:be dead|die|kill myself|end it|not exist)",
    r"(?:pills|meds|tablets|overdose|rope|gun) (?:to|so i can|so i will|and) (?:die|end it|end"
    r" my life|sleep forever|not wake up|kill myself|overdose|od|hang myself|shoot myself)",
    r"not see (?:myself|me) (?:being alive|alive|living|still here|here|around|surviving|making "
    r"it)(?: next| in| much| by| for)",
    # goodbyes
    r"suicide (?:notes?|letters?)|(?:goodbye|farewell) (?:notes?|letters?)|(?:write|writing"
    r"|wrote|written|left) (?:a |my )?(?:goodbye|farewell|final|last) (?:notes?|letters?"
    r"|messages?)",
    r"(?:have|got|made|with) (?:a|the|my) plan (?:and|with) (?:the |a )?(?:means|pills|gun|rope"
    r"|way)|(?:have|got) the means to (?:do it|end it|kill myself|die)",
    r"(?:say|saying|said) (?:my )?(?:goodbye|goodbyes|farewell) (?:to (?:everyone|everybody"
    r"|my family|my kids|the world|all|you all|my friends)|forever|for good)",
    r"(?:goodbye|farewell|bye) (?:forever|for good|cruel world|world)|this is (?:my )?"
    r"(?:goodbye|farewell|the end for me)(?= *\||$)|(?:final|last) goodbye(?= *\||$)",
    r"giving away (?:all )?my (?:things|stuff|belongings|possessions|pets|cat|dog)"
    r"|put(?:ting)? my affairs in order",
    r"(?:will not|wont|am not going to|might not|may not) (?:be )?(?:here|around|alive) "
    r"(?:tomorrow|much longer|for long|anymore|any more|by (?:tomorrow|tonight|"
    r"morning|the weekend))(?= *\||$)",
    r"my last (?:day|night|week) (?:on earth|alive|here)(?= *\||$)|last day of my life(?= *\||$)",
    r"(?:please|pls|somebody|someone|anyone|god|just) (?:please |just )?kill me"
    r"|kill me now|want to be killed|wish someone would kill me",
    r"in crisis|crisis (?:line|lifeline|hotline|text line|center|centre)|suicide hotline"
    r"|need help now|need help right now|help me please|please help me",
]

_EN_PHRASES = [
    "suicide", "suicidal", "kill myself", "killing myself", "kill my self", "end my life",
    "take my own life", "end it all", "want to die", "wanna die", "wish i was dead",
    "better off dead", "dont want to live", "dont want to be alive", "no reason to live",
    "nothing to live for", "not worth living", "cant go on", "kms", "unalive myself",
    "hang myself", "overdose on purpose", "self harm", "hurt myself", "harm myself",
    "cut myself", "crisis", "988",
]

_ES_GROUPS = {
    "YO": "quiero|quisiera|queria|deseo|desearia|he deseado|desee|deseaba|he querido|quise|voy a"
    "|iba a|vas a|pienso|estoy pensando en"
          "|pensando en|pienso en|pense en|he pensado en|ganas de|tengo ganas de|me dan ganas de"
          "|me dieron ganas de|necesito|planeo|planeando|estoy planeando|decidi|he decidido"
          "|intente|he intentado|intento|trate de|he tratado de|intentare|voy a intentar"
          "|quiero intentar|me gustaria|prefiero|solo quiero"
          "|ya quiero|lo unico que quiero es|estoy listo para|estoy lista para|estoy por|tengo"
          " que|como|manera de|forma de|formas de|maneras de|mejor manera de"
          "|la forma mas facil de|el deseo de|la idea de|ideas de|pensamientos de|pensar en"
          "|podria|puedo|planear|listo para|lista para|a punto de|intento de|intentos de"
          "|mejor|quiero tomar|ojala pudiera|si pudiera|intencion de|un plan para|plan para"
          "|planes de|planee|he planeado",
    "ACTO": "morir|morirme|matarme|suicidarme|suicidar|quitarme la vida|acabar con mi vida"
            "|terminar con mi vida|(?:acabar|terminar) con todo(?! el| lo| la| los| las| mi| tu"
            "| este| eso| ese)|acabar con esto|terminar"
            " con esto(?! del| de)|desaparecer(?= *\\||$| para siempre| de este mundo)"
            "|dejar de existir|dejar de vivir|no"
            " despertar(?: mas| nunca)?|no volver a despertar|dormir para siempre|dormirme para"
            " siempre|no existir|estar muert[oa]s?|hacerme dano|lastimarme|herirme|ahorcarme"
            "|colgarme|envenenarme|dispararme|pegarme un tiro|darme un tiro"
            "|cortarme(?! (?:el|la|los|un|una|mi|mis)\\b| las (?!venas|munecas))"
            "|(?:tirarme|aventarme|lanzarme|arrojarme) {LUGAR}"
            "|(?:tomarme|tomar|tragarme|tragar) todas (?:las|mis) {PASTILLAS}"
            "|(?:tomarme|tomar) (?:una )?sobredosis|una sobredosis|sobredosis(?! de riesgo)"
            "|sobredosificarme|irme para siempre|no estar aqui|no seguir aqui|no seguir viviendo"
            "|no vivir mas|no seguir(?= *\\||$)|ya no estar|ya no vivir|quitarme de en medio"
            "|hacerme algo|autolesionarme|lastimarme a mi mism[oa]|no estar viv[oa]"
            "|irme de este mundo|dejar este mundo",
    "VERBO": "matar|morir|suicidar|ahorcar|colgar|envenenar|disparar|quitar la vida|lastimar"
             "|hacer dano|herir|autolesionar|cortar(?! (?:el|la|los|un|una|mi|mis)\\b"
             "| las (?!venas|munecas))|(?:tirar|aventar|lanzar|arrojar) {LUGAR}"
             "|dormir para siempre|ir para siempre|ir de este mundo"
             "|desaparecer(?= *\\||$| para siempre)",
    "LUGAR": "(?:de|del|desde|al|a las vias del|bajo el|frente al|delante del|por la|a la) (?:un "
    "|una "
             "|el |la |lo )?(?:alto|puente|edificio|balcon|techo|azotea|ventana|piso|acantilado"
             "|metro|tren|rio|mar|vacio|camion|carro|coche|autobus|vias|precipicio|barranco)",
    "PASTILLAS": "pastillas|pildoras|medicinas|medicamentos|pastis|tabletas|calmantes"
                 "|antidepresivos|somniferos|ketamina",
    "GENTE": "todos|todo el mundo|mi familia|los demas|mis hijos|mi esposo|mi esposa|mi pareja"
             "|ellos|ellas|la gente|mis padres|mi mama|mi papa|mis seres queridos|mis amigos"
             "|el mundo|nadie|los que quiero",
    "VIVIR": "estar (?:mas )?en este mundo|estar mas aqui|seguir en este mundo|vivir"
             "|seguir viviendo|estar vivo|estar viva|estar aqui(?= *\\||$| nunca| mas| ya)"
             "|seguir aqui(?= *\\||$| nunca| mas| ya)|existir"
             "|despertar(?:me)?(?! temprano| tarde| a las| para| en| antes| con| de| mas temprano)"
             "|seguir adelante|seguir asi|continuar viviendo|vivir asi"
             "|vivir mas|levantarme|seguir(?= *\\||$)|mas(?= *\\||$)|con esta vida|con mi vida"
             "|vivir con esto|seguir con vida|estar en este mundo|ver otro dia|ver el manana",
}

_ES_PATTERNS = [
    r"suicidio|suicidios|suicida|suicidas|suicidarme|suicidarse|suicidarte|suicidar"
    r"|suicidandome|suicidare|suicidaria|suicidarnos|autolesion|autolesiones|autolesionarme"
    r"|autolesionandome|autolesionarse|autolastimarme|autodestruccion",
    r"(?<!no )(?<!nunca )(?:{YO}) (?:de |en |a |que )?(?:ya |solo |simplemente |de verdad "
    r"|realmente |mejor |por fin )?(?:{ACTO})",
    r"(?<!no )(?<!nunca )me (?!voy a morir|iba a morir)(?:quiero|voy a|gustaria|dan ganas de"
    r"|dieron ganas de|quisiera"
    r"|pienso|deberia|tengo que|dan ganas|iba a|estoy por|podria|puedo|intente|he intentado"
    r"|intentare) (?:ya |solo |de verdad )?(?:{VERBO})",
    r"quitarme la vida|quitarse la vida|quitarte la vida|acabar con mi vida|terminar con mi vida"
    r"|acabar con mi existencia|para (?:matarme|suicidarme|quitarme la vida|ahorcarme"
    r"|envenenarme|morirme)|me mataria|me suicidaria|me quitaria la vida|merezco morir"
    r"|deberia morir(?:me)?|tengo que morir(?:me)?|tomarmelas todas|(?:acabo|termino) con (?:mi"
    r" vida|todo(?= *\||$))|quiero que (?:todo|esto|mi vida) (?:termine|acabe|se acabe|se"
    r" termine)|despidiendo(?:me)? de (?:todos|todo el mundo|mi familia)",
    r"me (?:corto|lastimo|hago dano|autolesiono|hiero|quemo)(?! (?:el|la|las|los|un|una|mi|mis)"
    r"\b| con el| con la| al cocinar| sin querer| por accidente| en la| en el| jugando"
    r"| haciendo| trabajando| cocinando)|me corto las venas|me corte las venas"
    r"|(?:me corte|me he cortado|me estoy cortando)(?! (?:el|la|las|los|un|una|mi|mis)\b"
    r"| cocinando| sin querer| por accidente| con (?:el|la|un|una) (?!cuchilla|navaja))",
    r"no (?:quiero|deseo|quisiera|tengo ganas de|puedo|aguanto|soporto|se como|encuentro "
    r"(?:razon|razones|sentido) para|veo (?:razon|sentido) para|merezco|tengo fuerzas para"
    r"|tengo fuerza para|quiero seguir|me importa|le veo sentido a)(?: mas| seguir| ya)? "
    r"(?:{VIVIR})",
    r"(?:ya )?no (?:puedo|aguanto|soporto) mas(?! (?:de|que|tiempo|dinero|dosis|sesiones"
    r"|infusiones|pastillas|caro|lejos|cerca|el|la|los|las|a|al|este|estos|estas"
    r"|esta (?!vida))\b)",
    r"ya no (?:quiero|puedo|aguanto|soporto) (?:vivir|seguir(?= *\||$| asi| adelante| viviendo"
    r"| luchando| aqui| con vida| en este mundo)|estar aqui|con esto|con mi vida"
    r"|con todo|con la vida|existir|despertar)",
    r"(?:la vida|vivir|mi vida|seguir viviendo|seguir|existir|todo) (?:ya )?no (?:vale|tiene)"
    r" (?:la "
    r"pena|sentido|ningun sentido|nada)",
    r"no vale la pena (?:vivir|seguir|estar vivo|estar viva|seguir viviendo|existir|nada)",
    r"no tiene (?:ningun )?sentido (?:vivir|seguir|seguir viviendo|la vida|mi vida|estar vivo"
    r"|estar viva|nada|existir)",
    r"no (?:tengo|hay|encuentro|veo|le encuentro) (?:ninguna |ningun |una )?(?:razon|razones"
    r"|motivo|motivos|proposito|sentido) (?:para|por la que|por el que|por las que|de) "
    r"(?:vivir|seguir|seguir viviendo|estar vivo|estar viva|levantarme|despertar|existir)",
    r"no tengo (?:por que|para que|nada por lo que|por quien|nada por que|nada para) vivir"
    r"|(?:nada|nadie) por (?:que|lo que|quien) vivir",
    r"sin (?:razon|razones|motivo|motivos|ganas|sentido) (?:para|de) vivir",
    r"(?:para que|por que) (?:seguir viviendo|vivir|seguir|estar vivo|estar viva|seguir aqui"
    r"|existir)(?= *\||$)",
    r"(?:cansado|cansada|harto|harta|agotado|agotada|canse|harte|agote) de (?:vivir|la vida"
    r"|existir|estar vivo"
    r"|estar viva|seguir|mi vida|esta vida|despertar)",
    r"odio (?:mi vida|vivir|estar vivo|estar viva|existir|mi existencia)"
    r"|me odio(?! cuando| por| si| un poco)",
    r"(?:perdi|he perdido|pierdo|sin) (?:las ganas|la voluntad|el deseo|las fuerzas) de vivir"
    r"|no tengo ganas de (?:vivir|nada|seguir|existir)",
    # una carga, nadie me extrañaría
    r"(?:soy|me siento|siento que soy|me he convertido en|solo soy|ser)(?: solo| nada mas que"
    r"| nomas)? (?:una carga|un estorbo|un peso muerto|una molestia)",
    r"(?:una carga|un estorbo|un peso|una molestia) (?:para|a) (?:{GENTE})",
    r"(?:quiero|quisiera|ojala|solo quiero|deseo) que (?:todo |esto |mi vida )?(?:se )?(?:acabe"
    r"|termine|acabara|terminara)(?: todo| esto| mi vida| ya| de una vez)?(?= *\||$| ya"
    r"| para siempre| de una vez)",
    r"se (?!va a morir|iba a morir)(?:quiere|va a|quiso|piensa|queria|intento) (?:matar|morir"
    r"|suicidar|quitar la vida|ahorcar)",
    r"(?:{GENTE}) (?:estarian|estaria|estaran|estara|vivirian|viviria|seria|serian) (?:mucho )?"
    r"(?:mejor|mas felices|mas feliz|bien) (?:si me muero|si muero|si no estoy|si desaparezco"
    r"|si me voy para siempre|si me mato|si (?:yo )?no existiera|si (?:yo )?no estuviera"
    r"|si (?:yo )?ya no estoy|si (?:yo )?no estoy)",
    r"no (?:hay|veo|tengo|encuentro|le veo) (?:ninguna |otra )?salida(?= *\||$| para mi| a esto"
    r"| a nada| mas que)",
    r"no le (?:encuentro|veo) (?:ningun )?sentido a (?:la vida|vivir|nada|seguir|mi vida|seguir"
    r" viviendo)|mejor me (?:muero|mato|suicido|voy para siempre)",
    r"(?:{GENTE}) (?:estarian|estaria|estaran|estara|vivirian|viviria|seria|serian|estarian "
    r"mucho|estaria mucho) (?:mejor|mas felices|mas feliz|bien) sin mi|mejor sin mi",
    r"(?:nadie|ninguno) (?:me )?(?:extranaria|va a extranar|extranara|echaria de menos|va a "
    r"echar de menos|notaria|se daria cuenta|lloraria|recordaria)",
    r"a nadie le (?:importaria|importa|va a importar|importara) (?:si me muero|si muero|si "
    r"desaparezco|si ya no estoy|si me voy|que me muera|si me mato)",
    r"seria mejor (?:si me muero|si muero|que me muera|estar muert[oa]|no existir|si no "
    r"existiera|si desapareciera|si no estuviera|morir|morirme)",
    r"(?:mejor|preferiria|prefiero) (?:estar )?(?:muerto|muerta)",
    r"ojala (?:estuviera muert[oa]|estar muert[oa]|me muera|me muriera|no despertar|no despierte"
    r"|no despertara"
    r"|no hubiera nacido|no haber nacido|desaparecer|desapareciera|pudiera morir|me muriera)",
    r"(?:quisiera|quiero|preferiria|desearia) no haber nacido|no debi haber nacido",
    r"(?:dormir|dormirme) y (?:no|nunca) (?:despertar|volver a despertar)",
    # querer la muerte unas palabras después
    r"(?<!no )(?<!nunca )(?:quiero|quisiera|deseo|deseaba|ojala|ganas de|solo pido|rezo por)"
    r" (?!(?:\w+ )*?(?:saber|preguntar|entender|conocer|evitar|si|dolor|depresion|sintomas"
    r"|ansiedad|celulas|neuronas|planta|perro|gato|telefono)\b)(?:\w+ ){1,6}(?:morir|morirme"
    r"|muerto|muerta|matarme|suicidarme|me muera|me muriera|me mate|me matara)(?! de| por"
    r"| en| durante"
    r"| si| el| la)",
    r"(?:pienso|pensando|pensar|pense|he pensado)(?: \w+){0,4} en (?:la muerte|morir|morirme"
    r"|suicidarme|matarme|el suicidio|quitarme la vida)(?! de| del| por| en la cirugia)",
    # planes y medios
    r"(?:tomarme|tragarme|tomar|tragar|me tome|me trague|me voy a tomar|me voy a tragar) (?:un"
    r" frasco de|un monton de|todo el frasco de|una caja de|un punado de) (?:{PASTILLAS})",
    r"(?:me (?:he estado|estoy|sigo|vuelvo a estar) cortando|cortandome)(?! (?:el|la|las|los"
    r"|un|una|mi|mis)\b| cocinando| sin querer)",
    r"(?:acabar|terminar|acabo|termino) con (?:mi sufrimiento|mi existencia|este sufrimiento)",
    r"(?:juntando|guardando|acumulando|ahorrando|acumule) (?:mis |las |todas las |todas mis )?"
    r"(?:{PASTILLAS})(?! en (?:el|la|un|una)| para (?:el|la|las|los|viajar|mi))"
    r"|(?:junte|guarde|junto|guardo) (?:mis |las |todas las |todas mis )?(?:{PASTILLAS}) para"
    r" (?:morir|matarme|tomarmelas)",
    r"(?:me tome|tome|me trague|trague) (?:todas|un frasco|un monton|muchas|demasiadas) "
    r"(?:las |mis |de )?(?:{PASTILLAS})",
    r"sobredosis (?:a proposito|intencional|para morir|y morir|voluntaria|adrede)",
    r"dosis (?:letal|mortal)|cantidad (?:letal|mortal)",
    r"(?:cuanta|cuantas|cuanto|cuantos) (?:\w+ ){0,6}(?:para|hasta) (?:morir|matarme|morirme"
    r"|una sobredosis"
    r"|quitarme la vida|no despertar)",
    r"(?:tirarme|aventarme|lanzarme|arrojarme) (?:de|del|desde) (?:un|una|el|la|lo)? ?(?:alto"
    r"|puente|edificio|balcon|techo|azotea|ventana|piso|acantilado)",
    r"(?:tirarme|aventarme|lanzarme|arrojarme) (?:al|a las vias del|bajo el|frente al|delante"
    r" del) (?:metro|tren|rio|mar|vacio|camion|carro|coche|autobus)",
    r"(?:compre|comprar|tengo|consegui|conseguir|con) una soga|soga al cuello|pegarme un tiro"
    r"|darme un tiro|volarme la cabeza|cortarme las venas"
    r"|cortarme las munecas|ahorcarme|colgarme de",
    # despedidas
    r"adios para siempre|carta de despedida|carta de suicidio|nota suicida|nota de suicidio"
    r"|mi ultima carta",
    r"despedirme de (?:todos|todo el mundo|mi familia|mis hijos|ustedes)",
    r"(?:regalando|regale|voy a regalar|regalar) (?:todas )?mis cosas",
    r"no voy a estar (?:aqui|mas|viv[oa]) (?:manana|mucho tiempo|para siempre)(?= *\||$)",
    r"esta es mi despedida|mi ultima despedida|mi ultimo dia (?:en este mundo|de vida|viv[oa])",
    r"(?:alguien|por favor|porfa) (?:matenme|mateme|mátenme)|matenme",
    r"en crisis|linea de crisis|linea de ayuda|ayuda urgente|necesito ayuda ya|necesito ayuda"
    r" ahora|ayudenme por favor|ayudame por favor",
]

_ES_PHRASES = [
    "suicidio", "suicida", "suicidarme", "me quiero suicidar", "quiero matarme",
    "me quiero matar", "me voy a matar", "quitarme la vida", "acabar con mi vida",
    "quiero morir", "me quiero morir", "mejor muerto", "mejor muerta", "no quiero vivir",
    "no quiero seguir viviendo", "no vale la pena vivir", "ya no puedo mas",
    "ya no aguanto mas", "ahorcarme", "sobredosis a proposito", "quiero hacerme dano",
    "autolesion", "crisis", "988",
]

_VETOES = [
    # English
    r"take (?:my|my own) life (?:back|into|in a|in my|in new|seriously|for granted|one day"
    r"|day by day|in hand|a step|forward|in another)",
    r"(?:pressure|weight|burden|stress|blame|focus|attention|eyes|mind|load) off {SELF}",
    r"(?:burn|burning|burned|burnt) {SELF} out|shot {SELF} in the foot|cut {SELF} off"
    r"|cut {SELF} (?:a break|some slack|loose)"
    r"|(?:cut|cutting|hurt|hurting|burn|burned|burnt|burning) {SELF} (?:shaving|cooking|while"
    r" cooking|on the|on a|with a knife while|by accident|accidentally|at the gym|lifting)",
    r"(?:end|ending|ended) {SELF}",
    r"(?:is|are|was|were|be|becomes|become|its) (?:a|such a|the|just a|big|huge|an extra)"
    r" burden(?: (?:to|on|for) (?:{PEOPLE}))?",
    r"take all (?:of )?(?:my|the|these|those) (?:{PILLS}) (?:in the morning|at night|at once"
    r"|together|with|before|after|as prescribed|every day|daily|on time|at the same time)",
    r"(?:es|son|sea|fue|era|seria|sera) una carga(?: (?:para|a) (?:{GENTE}))?",
    r"tomar(?:me)? todas (?:las|mis) (?:{PASTILLAS}) (?:en la manana|en la noche|juntas|a la vez"
    r"|con|antes|despues|cada|todos los dias|a tiempo|que me (?:receto|recetaron|dio|dieron))",
    r"go on (?:a|the|to|with|vacation|holiday|it|this|that|medication|meds|antidepressants"
    r"|ketamine)",
    r"(?:[0-9]+|a few|few|many|several|couple|some|more|less|fewer|extra|hundred|hundreds"
    r"|thousand|thousands|ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|two|three"
    r"|four|five|six|seven|eight|nine|eleven|twelve|fifteen|of|the|those|these|per|how many"
    r"|and) kms",
    r"kms (?:away|from|to|per|an|a|of|long|far|drive|driving|walk|walking|by|on|in|each|every"
    r"|round|north|south|east|west|there|back|ahead|more|less|is|are|and)",
    r"(?:midlife|mid life|financial|energy|housing|opioid|economic|identity|health care"
    r"|healthcare|climate|political|water|debt|cost of living|refugee|overdose) crisis",
    r"crisis (?:economica|financiera|economico|politica|energetica|de vivienda|de los opioides)",
    r"not want to live (?:in|near|with (?!this|it|myself|the pain|my pain)\w+|without|alone"
    r"|abroad"
    r"|there|far|together|on|like them|close)",
    # Spanish
    r"no quiero vivir (?:lejos|cerca|con (?!este|esto|esta|el dolor|mi dolor)\w+|sin|solo"
    r"|sola|alli|juntos|juntas|aqui|en (?!este mundo)\w+)",
    r"(?:me )?(?:voy|va|vas|vamos) a morir(?:me)?",
    r"morir(?:me|se)? de (?:risa|ganas|hambre|sueno|frio|calor|envidia|amor|verguenza"
    r"|aburrimiento|miedo|cansancio|nervios)",
    r"(?:die|dying|died) (?:of|from|laughing) (?:embarrassment|laughter|boredom|curiosity"
    r"|laughing|shame)|(?:die|dying|died) laughing",
    r"cortarme (?:el|la|los|un|una|mi|mis) \w+|cortarme las (?!venas|munecas)\w+",
]

PATTERNS = {"en": _EN_PATTERNS, "es": _ES_PATTERNS}
GROUPS = {"en": _EN_GROUPS, "es": _ES_GROUPS}
PHRASES = {"en": _EN_PHRASES, "es": _ES_PHRASES}
VETOES = _VETOES
VETO_GROUPS = {**_EN_GROUPS, **_ES_GROUPS}
