
    /**
     * wp_mail_from: replaces WordPress's default From (wordpress@ and the
     * site's or network's domain) with the address given to phpmailfix, so that From and
     * the envelope agree. Addresses set by other plugins are left alone.
     */
    function phpmailfix_mail_from($from)
    {
        foreach (phpmailfix_site_domains() as $domain) {
            if (strtolower((string) $from) === 'wordpress@' . $domain) {
                return phpmailfix_configured_sender();
            }
        }
        return $from;
    }

    add_filter('wp_mail_from', 'phpmailfix_mail_from', 1000);
