<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es">
<context>
    <name>Accessibility</name>
    <message>
        <location filename="../reader/ui/accessible_interfaces.py" line="+105"/>
        <source>Follow the link</source>
        <translation>Seguir el enlace</translation>
    </message>
</context>
<context>
    <name>CrisisCard</name>
    <message>
        <location filename="../reader/ui/crisis_card.py" line="+12"/>
        <source>Help is available now</source>
        <translation>Hay ayuda ahora mismo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Messages sent with this form are read days later, not now. If you need someone to talk to now, call or text the line above.</source>
        <translation>Los mensajes de este formulario se leen días después, no ahora. Si necesita hablar con alguien ahora, llame o envíe un mensaje de texto a la línea de arriba.</translation>
    </message>
</context>
<context>
    <name>CrisisText</name>
    <message>
        <location filename="../reader/crisis.py" line="+462"/>
        <source>If you are in danger now, call 911.</source>
        <translation>Si está en peligro ahora, llame al 911.</translation>
    </message>
</context>
<context>
    <name>Delivery</name>
    <message>
        <location filename="../reader/ui/feedback_form.py" line="+82"/>
        <source>It is saved on this computer, then sent to {recipient} when this computer is online.</source>
        <translation>Se guarda en esta computadora y se envía a {recipient} cuando la computadora tenga conexión a internet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Email is not set up on this computer, so your message is saved here only, where staff can export it.</source>
        <translation>Esta computadora no tiene el correo configurado. Su mensaje se guarda solo aquí, donde el personal puede exportarlo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Thank you. Your message is saved on this computer and will be sent to {recipient} when this computer is online.</source>
        <translation>Gracias. Su mensaje está guardado en esta computadora y se enviará a {recipient} cuando tenga conexión a internet.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>To send it now, use your own email program (to {address}) or copy it.</source>
        <translation>Para enviarlo ahora, use su propio programa de correo (a {address}) o cópielo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Thank you. Your message is saved on this computer only: email is not set up here, so it has not been sent. Staff can export it.</source>
        <translation>Gracias. Su mensaje está guardado solo en esta computadora: aquí no hay correo configurado, así que no se ha enviado. El personal puede exportarlo.</translation>
    </message>
</context>
<context>
    <name>FeedbackForm</name>
    <message>
        <location line="-36"/>
        <source>Optional: the name you use on the Ketamine Advocacy Network&apos;s website and forums, if you have one.</source>
        <translation>Opcional: el nombre que usa en el sitio web y los foros de la Ketamine Advocacy Network, si tiene uno.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Feedback</source>
        <translation>Comentarios</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Feedback form</source>
        <translation>Formulario de comentarios</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>Your Username</source>
        <translation>Su nombre de usuario</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Your Name (required)</source>
        <translation>Su nombre (obligatorio)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your email (optional)</source>
        <translation>Su correo electrónico (opcional)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comments about this page</source>
        <translation>Sus comentarios sobre esta página</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Required.</source>
        <translation>Obligatorio.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Optional, if you would like a reply.</source>
        <translation>Opcional, si desea una respuesta.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Required, at most {limit} characters.</source>
        <translation>Obligatorio, {limit} caracteres como máximo.</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>Save and send</source>
        <translation>Guardar y enviar</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+50"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Send with my email program</source>
        <translation>Enviar con mi programa de correo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opens your email program with this message to {address}</source>
        <translation>Abre su programa de correo con este mensaje para {address}</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+225"/>
        <source>Copy the message</source>
        <translation>Copiar el mensaje</translation>
    </message>
    <message>
        <location line="-219"/>
        <source>Write another message</source>
        <translation>Escribir otro mensaje</translation>
    </message>
    <message>
        <location line="+66"/>
        <source>About: {title}</source>
        <translation>Sobre: {title}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>My question, which the FAQ does not answer: {question}</source>
        <translation>Mi pregunta, que las preguntas frecuentes no responden: {question}</translation>
    </message>
    <message>
        <location line="+41"/>
        <source> (too long)</source>
        <translation> (demasiado largo)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} of {limit} characters used</source>
        <translation>{count} de {limit} caracteres usados</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Copied</source>
        <translation>Copiado</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>Your message could not be saved on this computer, so it has not been sent. What you wrote is still here. Please tell a staff member. ({reason})</source>
        <translation>No se pudo guardar su mensaje en esta computadora, así que no se ha enviado. Lo que escribió sigue aquí. Por favor, avise a alguien del personal. ({reason})</translation>
    </message>
</context>
<context>
    <name>Handout</name>
    <message>
        <location filename="../reader/ui/handout_pdf.py" line="+160"/>
        <source>Published by {publisher}</source>
        <translation>Publicado por {publisher}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Text as of {date}.</source>
        <translation>Texto de {date}.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>all {total} questions</source>
        <translation>las {total} preguntas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{count} of the {total} questions</source>
        <translation>{count} de las {total} preguntas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>In this handout: {chosen}</source>
        <translation>En este folleto: {chosen}</translation>
    </message>
    <message>
        <location line="+235"/>
        <source>No questions are chosen.</source>
        <translation>No ha elegido ninguna pregunta.</translation>
    </message>
    <message>
        <location line="+129"/>
        <source>Cannot write to {target}.</source>
        <translation>No se puede escribir en {target}.</translation>
    </message>
    <message>
        <location line="-73"/>
        <source>Page {number} of {total}</source>
        <translation>Página {number} de {total}</translation>
    </message>
    <message>
        <location line="+131"/>
        <source>Cannot write {path}: {reason}</source>
        <translation>No se puede escribir {path}: {reason}</translation>
    </message>
    <message>
        <location filename="../reader/ui/facilitator.py" line="+111"/>
        <source>&amp;Print or save handout…</source>
        <translation>&amp;Imprimir o guardar folleto…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Print the questions, or save them as a PDF handout (Ctrl+P)</source>
        <translation>Imprimir las preguntas o guardarlas como folleto PDF (Ctrl+P)</translation>
    </message>
    <message>
        <location filename="../reader/ui/handout_pdf.py" line="-402"/>
        <source>Read more online:</source>
        <translation>Más información en internet:</translation>
    </message>
    <message>
        <location line="-55"/>
        <source>{question}, page {page}</source>
        <translation>{question}, página {page}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{text} (page {page})</source>
        <translation>{text} (página {page})</translation>
    </message>
</context>
<context>
    <name>HandoutDialog</name>
    <message>
        <location filename="../reader/ui/handout.py" line="+110"/>
        <source>Print or save a handout</source>
        <translation>Imprimir o guardar un folleto</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Questions in the handout</source>
        <translation>Preguntas del folleto</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Space checks or unchecks a question or a topic</source>
        <translation>La barra espaciadora marca o desmarca una pregunta o un tema</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>Select &amp;all</source>
        <translation>Marcar &amp;todas</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Select &amp;none</source>
        <translation>&amp;Desmarcar todas</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Paper size</source>
        <translation>Tamaño del papel</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Pa&amp;per:</source>
        <translation>&amp;Papel:</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Result</source>
        <translation>Resultado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Save as P&amp;DF…</source>
        <translation>Guardar como PD&amp;F…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>P&amp;rint…</source>
        <translation>&amp;Imprimir…</translation>
    </message>
    <message>
        <location line="+103"/>
        <source>{chosen} of {total} chosen</source>
        <translation>{chosen} de {total} elegidas</translation>
    </message>
    <message numerus="yes">
        <location line="+27"/>
        <source>Saved %n page(s) to {path}</source>
        <translation>
            <numerusform>Se guardó %n página en {path}</numerusform>
            <numerusform>Se guardaron %n páginas en {path}</numerusform>
        </translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{title} handout {date}</source>
        <translation>Folleto {title} {date}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the handout as PDF</source>
        <translation>Guardar el folleto como PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PDF documents (*.pdf)</source>
        <translation>Documentos PDF (*.pdf)</translation>
    </message>
    <message numerus="yes">
        <location line="+31"/>
        <source>Sent %n page(s) to {printer}.</source>
        <translation>
            <numerusform>Se envió %n página a {printer}.</numerusform>
            <numerusform>Se enviaron %n páginas a {printer}.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Print the handout</source>
        <translation>Imprimir el folleto</translation>
    </message>
    <message>
        <location line="-221"/>
        <source>&amp;Large print (16 pt)</source>
        <translation>Letra &amp;grande (16 pt)</translation>
    </message>
    <message>
        <location line="-27"/>
        <source>&amp;Order (drag to change):</source>
        <translation>&amp;Orden (arrastre para cambiarlo):</translation>
    </message>
    <message>
        <location line="+219"/>
        <source>&amp;Save</source>
        <translation>&amp;Guardar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="-250"/>
        <source>Choose the questions for the handout and the presentation, and their order. Every page carries the notice and the crisis line.</source>
        <translation>Elija las preguntas para el folleto y la presentación, y su orden. Cada página lleva el aviso y la línea de crisis.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>Drag a question, or press Alt+Up or Alt+Down, to move it</source>
        <translation>Arrastre una pregunta, o pulse Alt+Arriba o Alt+Abajo, para moverla</translation>
    </message>
    <message>
        <location line="+219"/>
        <source>File name:</source>
        <translation>Nombre del archivo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Files of type:</source>
        <translation>Archivos de tipo:</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Look in:</source>
        <translation>Buscar en:</translation>
    </message>
    <message>
        <location line="-214"/>
        <source>Move &amp;up</source>
        <translation>&amp;Subir</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Move do&amp;wn</source>
        <translation>&amp;Bajar</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>Order of the chosen questions</source>
        <translation>Orden de las preguntas elegidas</translation>
    </message>
</context>
<context>
    <name>IdleNotice</name>
    <message>
        <location filename="../reader/ui/kiosk.py" line="+141"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Still reading?</source>
        <translation>¿Sigue leyendo?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Touch the screen to keep reading.</source>
        <translation>Toque la pantalla para seguir leyendo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Yes, keep reading</source>
        <translation>Sí, seguir leyendo</translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>second(s) until the reader starts over for the next person.</source>
        <translation>
            <numerusform>segundo y el lector volverá a empezar para la siguiente persona.</numerusform>
            <numerusform>segundos y el lector volverá a empezar para la siguiente persona.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+1"/>
        <source>%n second(s) left</source>
        <translation>
            <numerusform>Queda %n segundo</numerusform>
            <numerusform>Quedan %n segundos</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>KioskController</name>
    <message>
        <location line="-70"/>
        <source>I&apos;m finished</source>
        <translation>Ya terminé</translation>
    </message>
    <message>
        <location line="+728"/>
        <source>Start over for the next person: closes the form and forgets what you read and typed</source>
        <translation>Empezar de nuevo para la siguiente persona: cierra el formulario y borra lo que leyó y escribió</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Start over for the next person</source>
        <translation>Empezar de nuevo para la siguiente persona</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Match {current} of {total} highlighted. Swipe the answer to see them all; tap “Clear search” to start over.</source>
        <translation>Resultado {current} de {total} resaltado. Deslice la respuesta para verlos todos; toque “Borrar la búsqueda” para empezar de nuevo.</translation>
    </message>
</context>
<context>
    <name>LinkDialog</name>
    <message>
        <location line="-505"/>
        <source>Scan with your phone&apos;s camera to write this email on your phone.</source>
        <translation>Escanee con la cámara de su teléfono para escribir este correo en su teléfono.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Scan with your phone&apos;s camera to call this number from your phone.</source>
        <translation>Escanee con la cámara de su teléfono para llamar a este número desde su teléfono.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Scan with your phone&apos;s camera to open this page on your phone.</source>
        <translation>Escanee con la cámara de su teléfono para abrir esta página en su teléfono.</translation>
    </message>
    <message>
        <location line="+8"/>
        <location line="+1"/>
        <source>Open this on your phone</source>
        <translation>Ábralo en su teléfono</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This link leads outside the reader, and this screen does not open other programs.</source>
        <translation>Este enlace lleva fuera del lector, y esta pantalla no abre otros programas.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Close</source>
        <translation>Cerrar</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>Address: {address}</source>
        <translation>Dirección: {address}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>QR code for {address}</source>
        <translation>Código QR de {address}</translation>
    </message>
</context>
<context>
    <name>LinkList</name>
    <message>
        <location filename="../reader/ui/viewer.py" line="+420"/>
        <source>Links in this answer</source>
        <translation>Enlaces en esta respuesta</translation>
    </message>
    <message>
        <location line="+19"/>
        <source> (website: {site})</source>
        <translation> (sitio web: {site})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (email: {address})</source>
        <translation> (correo: {address})</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../reader/ui/window.py" line="+307"/>
        <source>Width of the question list</source>
        <translation>Ancho de la lista de preguntas</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>Clear search</source>
        <translation>Borrar la búsqueda</translation>
    </message>
    <message>
        <location line="+78"/>
        <source>&amp;Back</source>
        <translation>&amp;Atrás</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Back to the previous question (Alt+Left)</source>
        <translation>Volver a la pregunta anterior (Alt+Izquierda)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Forward</source>
        <translation>A&amp;delante</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Forward (Alt+Right)</source>
        <translation>Adelante (Alt+Derecha)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Home</source>
        <translation>&amp;Inicio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>The first question (Alt+Home)</source>
        <translation>La primera pregunta (Alt+Inicio)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Next question</source>
        <translation>Pregunta &amp;siguiente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next question (Ctrl+Page Down)</source>
        <translation>Pregunta siguiente (Ctrl+Av Pág)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Previous question</source>
        <translation>Pregunta an&amp;terior</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Previous question (Ctrl+Page Up)</source>
        <translation>Pregunta anterior (Ctrl+Re Pág)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Larger text</source>
        <translation>Letra más &amp;grande</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Larger text (Ctrl+Plus)</source>
        <translation>Letra más grande (Ctrl+Más)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Smaller text</source>
        <translation>Letra &amp;más pequeña</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Smaller text (Ctrl+Minus)</source>
        <translation>Letra más pequeña (Ctrl+Menos)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Normal text size</source>
        <translation>Tamaño de letra &amp;normal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Normal text size (Ctrl+0)</source>
        <translation>Tamaño de letra normal (Ctrl+0)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Next &amp;match</source>
        <translation>&amp;Siguiente resultado</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next match (F3)</source>
        <translation>Siguiente resultado (F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pre&amp;vious match</source>
        <translation>Resultado an&amp;terior</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Previous match (Shift+F3)</source>
        <translation>Resultado anterior (Mayús+F3)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Clear search</source>
        <translation>&amp;Borrar la búsqueda</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+28"/>
        <source>&amp;Find…</source>
        <translation>B&amp;uscar…</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>&amp;Quit</source>
        <translation>&amp;Salir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;About this FAQ</source>
        <translation>&amp;Sobre estas preguntas frecuentes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Send &amp;feedback…</source>
        <translation>Enviar &amp;comentarios…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Follow the &amp;system</source>
        <translation>Como el &amp;sistema</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;Light</source>
        <translation>&amp;Claro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Dark</source>
        <translation>&amp;Oscuro</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>&amp;High contrast</source>
        <translation>&amp;Alto contraste</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;File</source>
        <translation>&amp;Archivo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>&amp;Ver</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Colours</source>
        <translation>&amp;Colores</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Search</source>
        <translation>&amp;Buscar</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>&amp;Go</source>
        <translation>&amp;Ir</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Help</source>
        <translation>Ay&amp;uda</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Navigation</source>
        <translation>Navegación</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+4"/>
        <source>Send feedback</source>
        <translation>Enviar comentarios</translation>
    </message>
    <message>
        <location line="-260"/>
        <source>Send feedback about this answer</source>
        <translation>Enviar comentarios sobre esta respuesta</translation>
    </message>
    <message>
        <location line="+358"/>
        <source>{app}: {title} by {publisher}, text of {date}</source>
        <translation>{app}: {title} de {publisher}, texto de {date}</translation>
    </message>
    <message>
        <location line="-99"/>
        <source>Tell the Ketamine Advocacy Network what you think</source>
        <translation>Díganos lo que piensa a la Ketamine Advocacy Network</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>This answer is not translated yet, so it is shown in English.</source>
        <translation>Esta respuesta todavía no está traducida, por eso se muestra en inglés.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>There is no question with the id “{id}”. Here is the first question instead.</source>
        <translation>No hay ninguna pregunta con el identificador “{id}”. Aquí tiene la primera pregunta.</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>This link cannot be opened in the reader: {url}</source>
        <translation>Este enlace no se puede abrir en el lector: {url}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open in your web browser?</source>
        <translation>¿Abrir en su navegador web?</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This link leads outside the reader:

{url}

Open it in your web browser? (It needs an internet connection.)</source>
        <translation>Este enlace lleva fuera del lector:

{url}

¿Abrirlo en su navegador web? (Necesita conexión a internet).</translation>
    </message>
    <message>
        <location line="+134"/>
        <source>Match {current} of {total} highlighted. F3: next · Shift+F3: previous · Escape: clear</source>
        <translation>Resultado {current} de {total} resaltado. F3: siguiente · Mayús+F3: anterior · Esc: borrar</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Text: {publisher}</source>
        <translation>Texto: {publisher}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Date of the text: {date}.</source>
        <translation>Fecha del texto: {date}.</translation>
    </message>
    <message numerus="yes">
        <location line="+4"/>
        <source>%n question(s).</source>
        <translation>
            <numerusform>%n pregunta.</numerusform>
            <numerusform>%n preguntas.</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>About {app}</source>
        <translation>Sobre {app}</translation>
    </message>
    <message>
        <location line="-110"/>
        <source>Text size {percent}%</source>
        <translation>Tamaño del texto: {percent} %</translation>
    </message>
</context>
<context>
    <name>OnScreenKeyboard</name>
    <message>
        <location filename="../reader/ui/keyboard.py" line="+79"/>
        <source>On-screen keyboard</source>
        <translation>Teclado en pantalla</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Backspace</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+2"/>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Shift</source>
        <translation>Mayús</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Caps</source>
        <translation>Bloq Mayús</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Caps lock</source>
        <translation>Bloqueo de mayúsculas</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+131"/>
        <source>Symbols</source>
        <translation>Símbolos</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <location line="-129"/>
        <source>space</source>
        <translation>espacio</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Hide ▾</source>
        <translation>Ocultar ▾</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Hide the keyboard</source>
        <translation>Ocultar el teclado</translation>
    </message>
    <message>
        <location line="+100"/>
        <source>on</source>
        <translation>activado</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>off</source>
        <translation>desactivado</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>New line</source>
        <translation>Nueva línea</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Next</source>
        <translation>Siguiente</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Next field</source>
        <translation>Campo siguiente</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Search</source>
        <translation>Buscar</translation>
    </message>
</context>
<context>
    <name>OutboxWorker</name>
    <message numerus="yes">
        <location filename="../reader/ui/sender.py" line="+91"/>
        <source>%n message(s) waiting</source>
        <translation>
            <numerusform>%n mensaje en espera</numerusform>
            <numerusform>%n mensajes en espera</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+2"/>
        <source>%n message(s) could not be sent</source>
        <translation>
            <numerusform>%n mensaje no se pudo enviar</numerusform>
            <numerusform>%n mensajes no se pudieron enviar</numerusform>
        </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>No messages waiting</source>
        <translation>No hay mensajes en espera</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>Feedback outbox cannot be read: {reason}</source>
        <translation>No se pueden leer los comentarios por enviar: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> (email is not set up)</source>
        <translation> (el correo no está configurado)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>, next try at {time}</source>
        <translation>, próximo intento a las {time}</translation>
    </message>
    <message>
        <location line="-2"/>
        <source> (email settings need fixing: main.py config check)</source>
        <translation> (hay que corregir la configuración del correo: main.py config check)</translation>
    </message>
</context>
<context>
    <name>PinDialog</name>
    <message>
        <location filename="../reader/ui/kiosk.py" line="-158"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Staff exit</source>
        <translation>Salida del personal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Type the staff PIN to close the reader.</source>
        <translation>Escriba el PIN del personal para cerrar el lector.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Staff PIN</source>
        <translation>PIN del personal</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Clear</source>
        <translation>Borrar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Clear the PIN</source>
        <translation>Borrar el PIN</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Delete last digit</source>
        <translation>Borrar el último número</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Exit reader</source>
        <translation>Cerrar el lector</translation>
    </message>
    <message numerus="yes">
        <location line="+37"/>
        <source>That PIN is not right. %n attempt(s) left.</source>
        <translation>
            <numerusform>Ese PIN no es correcto. Queda %n intento.</numerusform>
            <numerusform>Ese PIN no es correcto. Quedan %n intentos.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location line="+14"/>
        <source>Too many wrong PINs. Try again in %n second(s).</source>
        <translation>
            <numerusform>Demasiados PIN incorrectos. Vuelva a intentarlo en %n segundo.</numerusform>
            <numerusform>Demasiados PIN incorrectos. Vuelva a intentarlo en %n segundos.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Plan</name>
    <message>
        <location filename="../reader/ui/facilitator.py" line="-82"/>
        <source>&amp;Add this question to the plan</source>
        <translation>&amp;Añadir esta pregunta al plan</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>&amp;Clear the plan</source>
        <translation>&amp;Vaciar el plan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>&amp;Order and print the plan…</source>
        <translation>&amp;Ordenar e imprimir el plan…</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>Add all these results to the session plan</source>
        <translation>Añadir todos estos resultados al plan de la sesión</translation>
    </message>
    <message>
        <location line="-58"/>
        <source>Add the search &amp;results to the plan</source>
        <translation>Añadir los &amp;resultados de la búsqueda al plan</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Add to the session plan</source>
        <translation>Añadir al plan de la sesión</translation>
    </message>
    <message>
        <location line="-33"/>
        <source>No plan: the whole FAQ is presented and printed</source>
        <translation>Sin plan: se presentan e imprimen todas las preguntas</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Plan: {count} of the {total} questions</source>
        <translation>Plan: {count} de las {total} preguntas</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Re&amp;move this question from the plan</source>
        <translation>&amp;Quitar esta pregunta del plan</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>Remove from the session plan</source>
        <translation>Quitar del plan de la sesión</translation>
    </message>
    <message>
        <location line="-60"/>
        <source>Session &amp;plan</source>
        <translation>&amp;Plan de la sesión</translation>
    </message>
</context>
<context>
    <name>Presenter</name>
    <message>
        <location filename="../reader/ui/presenter.py" line="+166"/>
        <source>Presentation</source>
        <translation>Presentación</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{title} — presentation</source>
        <translation>{title} — presentación</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Question and answer</source>
        <translation>Pregunta y respuesta</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>▼ more below</source>
        <translation>▼ sigue abajo</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>More text below: press Page Down</source>
        <translation>Hay más texto abajo: pulse Av Pág</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Black screen: press any key to come back</source>
        <translation>Pantalla en negro: pulse cualquier tecla para volver</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>{publisher} FAQ</source>
        <translation>Preguntas frecuentes de {publisher}</translation>
    </message>
    <message>
        <location line="+77"/>
        <source>Question {number} of {total}: {title}</source>
        <translation>Pregunta {number} de {total}: {title}</translation>
    </message>
    <message>
        <location filename="../reader/ui/facilitator.py" line="+75"/>
        <source>&amp;Present</source>
        <translation>&amp;Presentar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Present one question per screen, in large type (F5)</source>
        <translation>Presentar una pregunta por pantalla, con letra grande (F5)</translation>
    </message>
    <message>
        <location filename="../reader/ui/presenter.py" line="-10"/>
        <source>(continued)</source>
        <translation>(continuación)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>(part {part} of {parts})</source>
        <translation>(parte {part} de {parts})</translation>
    </message>
</context>
<context>
    <name>ReadAloud</name>
    <message>
        <location filename="../reader/ui/speaker.py" line="+40"/>
        <source>English</source>
        <translation>inglés</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Spanish</source>
        <translation>español</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>No {language} voice is installed, so nothing can be read aloud. Ask whoever looks after this computer to install espeak-ng.</source>
        <translation>No hay ninguna voz en {language} instalada, así que no se puede leer en voz alta. Pida a quien cuida de esta computadora que instale espeak-ng.</translation>
    </message>
    <message>
        <location line="+228"/>
        <source>Reading aloud stopped: this computer could not play the sound.</source>
        <translation>La lectura en voz alta se detuvo: esta computadora no pudo reproducir el sonido.</translation>
    </message>
    <message>
        <location filename="../reader/ui/read_aloud.py" line="+253"/>
        <source>Read this aloud</source>
        <translation>Leer esto en voz alta</translation>
    </message>
</context>
<context>
    <name>ReadAloudBar</name>
    <message>
        <location line="-197"/>
        <location line="+127"/>
        <source>Read aloud</source>
        <translation>Leer en voz alta</translation>
    </message>
    <message>
        <location line="-126"/>
        <source>Read the question and its answer aloud</source>
        <translation>Leer en voz alta la pregunta y su respuesta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>Detener</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop reading aloud</source>
        <translation>Dejar de leer en voz alta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Slower</source>
        <translation>Más lento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read more slowly</source>
        <translation>Leer más despacio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Faster</source>
        <translation>Más rápido</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Read faster</source>
        <translation>Leer más rápido</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resume</source>
        <translation>Continuar</translation>
    </message>
</context>
<context>
    <name>ReaderSession</name>
    <message>
        <location filename="../reader/ui/session.py" line="+126"/>
        <source>Feedback outbox cannot be opened: {reason}</source>
        <translation>No se pueden abrir los comentarios por enviar: {reason}</translation>
    </message>
</context>
<context>
    <name>SearchPanel</name>
    <message>
        <location filename="../reader/ui/search_panel.py" line="+178"/>
        <source>Search the questions…</source>
        <translation>Buscar en las preguntas…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Search…</source>
        <translation>Buscar…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Search the questions</source>
        <translation>Buscar en las preguntas</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Ask the Ketamine Advocacy Network</source>
        <translation>Preguntar a la Ketamine Advocacy Network</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Opens the feedback form with your question filled in</source>
        <translation>Abre el formulario de comentarios con su pregunta ya escrita</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+146"/>
        <source>Questions people often ask:</source>
        <translation>Preguntas que la gente hace a menudo:</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Related answers, which may not answer your question:</source>
        <translation>Respuestas relacionadas, que quizás no responden a su pregunta:</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> or </source>
        <translation> o </translation>
    </message>
    <message>
        <location line="+1"/>
        <source>This FAQ does not mention {words}. Please ask a doctor.</source>
        <translation>Estas preguntas frecuentes no hablan de {words}. Pregúntele a un médico.</translation>
    </message>
    <message>
        <location line="-151"/>
        <source>Search results</source>
        <translation>Resultados de la búsqueda</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>Search is not available right now ({reason}).</source>
        <translation>La búsqueda no está disponible ahora ({reason}).</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Did you mean &lt;a href=&quot;{link}&quot;&gt;“{word}”&lt;/a&gt;?</source>
        <translation>¿Quiso decir &lt;a href=&quot;{link}&quot;&gt;“{word}”&lt;/a&gt;?</translation>
    </message>
    <message>
        <location line="+11"/>
        <source> (written in {date})</source>
        <translation> (escritas en {date})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No answer in this FAQ mentions “{query}”.</source>
        <translation>Ninguna respuesta de estas preguntas frecuentes menciona “{query}”.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>No results for “{query}”.{fix} This FAQ{written} does not cover it. Please ask a doctor about it.</source>
        <translation>No hay resultados para “{query}”.{fix} Estas preguntas frecuentes{written} no tratan ese tema. Por favor, pregunte a un médico.</translation>
    </message>
    <message>
        <location line="-162"/>
        <location line="+1"/>
        <source>Clear search</source>
        <translation>Borrar la búsqueda</translation>
    </message>
    <message numerus="yes">
        <location line="+195"/>
        <source>%n result(s).</source>
        <translation>
            <numerusform>%n resultado.</numerusform>
            <numerusform>%n resultados.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Sidebar</name>
    <message>
        <location filename="../reader/ui/sidebar.py" line="+35"/>
        <location line="+4"/>
        <source>Questions</source>
        <translation>Preguntas</translation>
    </message>
    <message>
        <location line="-3"/>
        <source>Choose a question to read its answer</source>
        <translation>Elija una pregunta para leer su respuesta</translation>
    </message>
</context>
<context>
    <name>Viewer</name>
    <message>
        <location filename="../reader/ui/viewer.py" line="-386"/>
        <source>From the FAQ of {source}</source>
        <translation>De las preguntas frecuentes de {source}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (text as of {date})</source>
        <translation> (texto de {date})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Next question: {link}</source>
        <translation>Pregunta siguiente: {link}</translation>
    </message>
    <message>
        <location line="+27"/>
        <source>Answer</source>
        <translation>Respuesta</translation>
    </message>
</context>
<context>
    <name>_LinkRows</name>
    <message>
        <location line="+379"/>
        <source>Links in this answer</source>
        <translation>Enlaces en esta respuesta</translation>
    </message>
</context>
<context>
    <name>feedback</name>
    <message>
        <location filename="../reader/feedback.py" line="+23"/>
        <source>Use this form to tell us what you think of this page, or send an email to feedback@ketaminenetwork.org.</source>
        <translation>Use este formulario para decirnos qué piensa de esta página, o envíe un correo a feedback@ketaminenetwork.org.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your comments are private.</source>
        <translation>Sus comentarios son privados.</translation>
    </message>
    <message>
        <location line="+76"/>
        <source>Your username</source>
        <translation>Su nombre de usuario</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Your name</source>
        <translation>Su nombre</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{label} contains characters that cannot be saved.</source>
        <translation>{label} tiene caracteres que no se pueden guardar.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{label} can be at most {limit} characters.</source>
        <translation>{label} puede tener {limit} caracteres como máximo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Please enter your name (it can be a first name only).</source>
        <translation>Por favor, escriba su nombre (puede ser solo el nombre de pila).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Please enter one email address such as name@example.org, or leave it empty.</source>
        <translation>Por favor, escriba una sola dirección de correo, como nombre@ejemplo.org, o déjelo en blanco.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Your comments contain characters that cannot be saved.</source>
        <translation>Sus comentarios tienen caracteres que no se pueden guardar.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Please write your comments.</source>
        <translation>Por favor, escriba sus comentarios.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Your comments are {count} characters; the limit is {limit}. Please shorten them.</source>
        <translation>Sus comentarios tienen {count} caracteres; el límite es {limit}. Por favor, acórtelos.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>The question id contains characters that cannot be saved.</source>
        <translation>El identificador de la pregunta tiene caracteres que no se pueden guardar.</translation>
    </message>
</context>
<context>
    <name>launch</name>
    <message>
        <location filename="../reader/ui/launch.py" line="+162"/>
        <source>Settings problem in {path}: {problem}</source>
        <translation>Problema de configuración en {path}: {problem}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source> (and {more} more: &apos;main.py config check&apos; lists them).</source>
        <translation> (y {more} más: «main.py config check» los muestra todos).</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> Email is off until [smtp] is fixed; feedback waits in the outbox.</source>
        <translation> El correo está apagado hasta que se corrija [smtp]; los comentarios esperan en la bandeja de salida.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Some pages could not be read: {problem}</source>
        <translation>No se pudieron leer algunas páginas: {problem}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>The crisis word list needs fixing: {problem}. The built-in crisis words are still checked; &apos;main.py content check&apos; names every problem.</source>
        <translation>Hay que corregir la lista de palabras de crisis: {problem}. Las palabras de crisis incluidas en el lector se siguen comprobando; «main.py content check» muestra todos los problemas.</translation>
    </message>
</context>
</TS>
